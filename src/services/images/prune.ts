/**
 * `docker image prune` (POST /images/prune): removes dangling images (or, with
 * `dangling=false`, every image no container uses) that pass the `until` and `label` filters,
 * each with rmi's rules, then collects the garbage; the space reclaimed is what the collector
 * freed.
 */
import { isEngineError } from '../../common/errors.js';
import type { GcResult } from '../../containerd/gc/index.js';
import type { ImagesContext } from './context.js';
import { danglingFilter, matchLabels, parseTimestamp } from './filters.js';
import { removeImage } from './remove.js';
import type { DeleteResponseItem, FilterArgs, PruneReport } from './types.js';

export const PRUNE_FILTERS = ['dangling', 'until', 'label', 'label!'] as const;

export async function pruneImages(ctx: ImagesContext, filters: FilterArgs, gc: () => Promise<GcResult>): Promise<PruneReport> {
  const danglingOnly = danglingFilter(filters) ?? true;
  const until = filters.get('until')?.map((t) => Math.floor(parseTimestamp(t) / 1000));
  const labels = filters.get('label') ?? [];
  const notLabels = filters.get('label!') ?? [];
  const deleted: DeleteResponseItem[] = [];
  for (const v of [...ctx.index.views().values()]) {
    if (danglingOnly && (v.repoTags.length > 0 || v.repoDigests.length > 0)) continue;
    if (ctx.usage.containersUsing(v.id).length > 0) continue;
    if (until && !until.every((t) => v.created < t)) continue;
    if (!matchLabels(v.config.config?.Labels, labels, notLabels)) continue;
    try {
      const r = await removeImage(ctx.index, ctx.usage, v.id, { force: !danglingOnly });
      deleted.push(...r.items);
    } catch (e) {
      if (!isEngineError(e) || (e.kind !== 'conflict' && e.kind !== 'not-found')) throw e;
    }
  }
  const freed = deleted.length > 0 ? await gc() : { bytesRemoved: 0 };
  return { ImagesDeleted: deleted.length ? deleted : null, SpaceReclaimed: freed.bytesRemoved };
}
