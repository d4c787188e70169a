/**
 * How a container gets its root filesystem from an image: the image's top layer is the
 * committed snapshot named by the chain id of its diff ids, and the container's rootfs is an
 * active snapshot on top of it (`prepare(containerKey, chainId)`), mounted wherever the runtime
 * wants it. Snapshots missing on disk (collected, or never unpacked) are unpacked again from
 * the kept layer blobs first. The active snapshot is a GC root until the containers service
 * removes it with `snapshotter.remove(containerKey)`.
 *
 * Also the GraphDriver data of `docker image inspect`: the snapshot directories of the layers,
 * found through a short-lived view (they never move, so the answer is cached per image).
 */
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { chainIds, unpackLayers, type Mount } from '../../containerd/snapshots/index.js';
import type { ImagesContext } from './context.js';
import { layerStream } from './layer-stream.js';
import type { ImageView } from './types.js';

export interface PreparedRootfs {
  mounts: Mount[];
  /** Image id (config digest). */
  imageId: string;
  /** The committed parent snapshot (chain id), undefined for an image without layers. */
  parent: string | undefined;
}

/** Makes sure every layer snapshot of `view` exists; returns the top chain id. */
export async function ensureUnpacked(ctx: ImagesContext, view: ImageView): Promise<string | undefined> {
  const diffIds = view.config.rootfs?.diff_ids ?? [];
  if (diffIds.length === 0) return undefined;
  const layers = view.manifest.layers;
  const r = await unpackLayers(ctx.snapshotter, diffIds, async (i) => layerStream(await ctx.content.read({ digest: layers[i]!.digest }), diffIds[i]!).stream);
  return r.chainId;
}

export async function prepareRootfs(ctx: ImagesContext, view: ImageView, containerKey: string, labels: Record<string, string> = {}): Promise<PreparedRootfs> {
  return ctx.lock.shared(async () => {
    const parent = await ensureUnpacked(ctx, view);
    const mounts = await ctx.snapshotter.prepare(containerKey, parent, { labels });
    return { mounts, imageId: view.id, parent };
  });
}

const graphCache = new WeakMap<ImagesContext, Map<string, Record<string, string> | null>>();

/** overlay2-style GraphDriver.Data for an image: its top layer as UpperDir, the rest as LowerDir. */
export async function graphDriverData(ctx: ImagesContext, view: ImageView): Promise<Record<string, string> | null> {
  let cache = graphCache.get(ctx);
  if (!cache) { cache = new Map(); graphCache.set(ctx, cache); }
  if (cache.has(view.id)) return cache.get(view.id)!;
  const diffIds = view.config.rootfs?.diff_ids ?? [];
  if (diffIds.length === 0) return null;
  const top = chainIds(diffIds).at(-1)!;
  const key = `inspect-${randomBytes(6).toString('hex')}`;
  let data: Record<string, string> | null = null;
  try {
    const mounts = await ctx.lock.shared(() => ctx.snapshotter.view(key, top));
    try {
      const m = mounts[0]!;
      const lower = m.options.find((o) => o.startsWith('lowerdir='))?.slice('lowerdir='.length).split(':');
      const dirs = m.type === 'overlay' && lower ? lower : [m.source];
      const upper = dirs[0]!;
      data = { MergedDir: `${dirname(upper)}/merged`, UpperDir: upper, WorkDir: `${dirname(upper)}/work` };
      if (dirs.length > 1) data = { LowerDir: dirs.slice(1).join(':'), ...data };
    } finally {
      await ctx.snapshotter.remove(key);
    }
  } catch {
    return null;
  }
  cache.set(view.id, data);
  return data;
}
