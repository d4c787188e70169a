/**
 * Pure conversions from the in-memory image view to the Engine API shapes: list summaries,
 * inspect, history. Fields come and go with the API version as in moby's router.
 */
import { compareVersions } from './version.js';
import type { HistoryItem, ImageInspect, ImageSummary, ImageView } from './types.js';

const ZERO_TIME = '0001-01-01T00:00:00Z';

export function toSummary(v: ImageView, version: string, opts: { repoTags?: string[]; repoDigests?: string[]; sharedSize?: number } = {}): ImageSummary {
  const s: ImageSummary = {
    Id: v.id,
    ParentId: '',
    RepoTags: opts.repoTags ?? v.repoTags,
    RepoDigests: opts.repoDigests ?? v.repoDigests,
    Created: v.created,
    Size: v.size,
    SharedSize: opts.sharedSize ?? -1,
    Labels: v.config.config?.Labels ?? {},
    Containers: -1,
  };
  if (compareVersions(version, '1.44') < 0) s.VirtualSize = v.size;
  if (compareVersions(version, '1.48') >= 0) s.Descriptor = { ...v.manifestDesc };
  return s;
}

export function toInspect(v: ImageView, version: string, graphDriver: { Name: string; Data: Record<string, string> | null }): ImageInspect {
  const c = v.config;
  const out: ImageInspect = {
    Id: v.id,
    RepoTags: v.repoTags,
    RepoDigests: v.repoDigests,
    Comment: typeof c['comment'] === 'string' ? c['comment'] : '',
    ...(c.created !== undefined ? { Created: c.created } : {}),
    Author: c.author ?? '',
    Config: c.config ?? {},
    Architecture: c.architecture,
    ...(c.variant ? { Variant: c.variant } : {}),
    Os: c.os,
    ...(c['os.version'] ? { OsVersion: c['os.version'] } : {}),
    Size: v.size,
    GraphDriver: graphDriver,
    RootFS: { Type: 'layers', Layers: [...(c.rootfs?.diff_ids ?? [])] },
    Metadata: { LastTagTime: v.lastTagTime || ZERO_TIME },
  };
  if (compareVersions(version, '1.52') < 0) {
    out.Parent = '';
    out.DockerVersion = typeof c['docker_version'] === 'string' ? c['docker_version'] : '';
  }
  if (compareVersions(version, '1.44') < 0) out.VirtualSize = v.size;
  if (compareVersions(version, '1.48') >= 0) out.Descriptor = { ...v.manifestDesc };
  return out;
}

/**
 * History, newest first: one entry per config history item; non-empty items take the layer
 * sizes bottom-up. Only the top entry carries the image id and its tags — the ids of the
 * intermediate images are not known for pulled images, which Docker shows as `<missing>`.
 */
export function toHistory(v: ImageView, layerSizes: readonly number[]): HistoryItem[] {
  const c = v.config;
  let hist = c.history ?? [];
  if (hist.length === 0) hist = (c.rootfs?.diff_ids ?? []).map(() => ({ ...(c.created ? { created: c.created } : {}) }));
  let layer = 0;
  const items: HistoryItem[] = hist.map((h) => {
    const size = h.empty_layer ? 0 : (layerSizes[layer++] ?? 0);
    const t = h.created ? Math.floor(Date.parse(h.created) / 1000) : 0;
    return { Id: '<missing>', Created: Number.isFinite(t) ? t : 0, CreatedBy: h.created_by ?? '', Tags: null, Size: size, Comment: h.comment ?? '' };
  });
  items.reverse();
  if (items[0]) {
    items[0].Id = v.id;
    items[0].Tags = v.repoTags.length ? [...v.repoTags] : null;
  }
  return items;
}
