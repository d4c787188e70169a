/**
 * `GET /images/json`: every image from memory, filtered and converted. Newest first, as Docker
 * sorts. With `all=false` nothing is hidden here: images have no intermediate parents in this
 * store. Shared size (only when asked) counts layers other images also use.
 */
import type { ImageIndex } from './image-index.js';
import { toSummary } from './convert.js';
import { danglingFilter, familiarMatch, globRegExp, matchLabels, parseTimestamp } from './filters.js';
import type { FilterArgs, ImageSummary } from './types.js';

export const LIST_FILTERS = ['dangling', 'label', 'before', 'since', 'reference', 'until'] as const;

export interface ListOptions {
  filters: FilterArgs;
  sharedSize?: boolean;

  version: string;
}

function createdOf(index: ImageIndex, name: string): number {
  return index.resolve(name).created;
}

export function listImages(index: ImageIndex, opts: ListOptions): ImageSummary[] {
  const f = opts.filters;
  const dangling = danglingFilter(f);
  const before = f.get('before')?.map((n) => createdOf(index, n));
  const since = f.get('since')?.map((n) => createdOf(index, n));
  const until = f.get('until')?.map((t) => Math.floor(parseTimestamp(t) / 1000));
  const refPatterns = f.get('reference')?.map(globRegExp);
  const labels = f.get('label');

  const out: ImageSummary[] = [];
  const all = [...index.views().values()];
  let layerUse: Map<string, number> | undefined;
  if (opts.sharedSize) {
    layerUse = new Map();
    for (const v of all) for (const d of new Set(v.config.rootfs?.diff_ids ?? [])) layerUse.set(d, (layerUse.get(d) ?? 0) + 1);
  }
  for (const v of all) {
    const isDangling = v.repoTags.length === 0 && v.repoDigests.length === 0;
    if (dangling !== undefined && dangling !== isDangling) continue;
    if (before && !before.every((t) => v.created < t)) continue;
    if (since && !since.every((t) => v.created > t)) continue;
    if (until && !until.every((t) => v.created < t)) continue;
    if (labels && !matchLabels(v.config.config?.Labels, labels)) continue;
    let repoTags = v.repoTags;
    let repoDigests = v.repoDigests;
    if (refPatterns) {
      const keep = (s: string): boolean => refPatterns.some((p) => familiarMatch(p, s));
      repoTags = repoTags.filter(keep);
      repoDigests = repoDigests.filter(keep);
      if (repoTags.length === 0 && repoDigests.length === 0) continue;
    }
    let sharedSize: number | undefined;
    if (layerUse) {
      const ids = v.config.rootfs?.diff_ids ?? [];
      const seen = new Set<string>();
      sharedSize = 0;
      ids.forEach((d, i) => {
        if (!seen.has(d) && (layerUse.get(d) ?? 0) > 1) sharedSize! += v.layerSizes[i] ?? 0;
        seen.add(d);
      });
    }
    out.push(toSummary(v, opts.version, {
      repoTags, repoDigests,
      ...(sharedSize !== undefined ? { sharedSize } : {}),
    }));
  }
  out.sort((a, b) => b.Created - a.Created || (a.Id < b.Id ? -1 : 1));
  return out;
}

