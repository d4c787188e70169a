/**
 * The last step every way of making an image shares (load, import, commit): unpack the layers
 * of a manifest whose blobs are in the store into snapshots, record each layer's uncompressed
 * size, store the manifest, and point records at it.
 */
import { unpackLayers } from '../../containerd/snapshots/index.js';
import { readBlob } from '../../containerd/content/index.js';
import type { Descriptor, ImageConfig, Manifest } from '../../oci/image-spec.js';
import type { ImagesContext } from './context.js';
import { UNCOMPRESSED_SIZE_LABEL } from './image-index.js';
import { layerStream } from './layer-stream.js';
import { putBlob } from './pull.js';
import type { ImageView } from './types.js';

export interface CreateImageSpec {
  manifestDesc: Descriptor;
  /** The manifest bytes when they are not in the store yet. */
  manifestRaw?: Buffer;
  /** Record names to point at it (tags, digests, or a dangling name). */
  records: string[];
}

export async function createImage(ctx: ImagesContext, spec: CreateImageSpec): Promise<ImageView> {
  if (spec.manifestRaw) await putBlob(ctx, spec.manifestDesc, spec.manifestRaw);
  const manifest = JSON.parse((await readBlob(ctx.content, spec.manifestDesc)).toString()) as Manifest;
  const config = JSON.parse((await readBlob(ctx.content, manifest.config)).toString()) as ImageConfig;
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length > 0) {
    const sizes = new Map<number, () => number>();
    const r = await unpackLayers(ctx.snapshotter, diffIds, async (i) => {
      const ls = layerStream(await ctx.content.read({ digest: manifest.layers[i]!.digest }), diffIds[i]!);
      sizes.set(i, ls.uncompressed);
      return ls.stream;
    });
    for (const i of r.unpacked) {
      const d = manifest.layers[i]!.digest;
      await ctx.content.update({ digest: d, labels: { [UNCOMPRESSED_SIZE_LABEL]: String(sizes.get(i)!()) } }, [`labels.${UNCOMPRESSED_SIZE_LABEL}`]);
    }
  }
  await ctx.index.put(spec.records.map((name) => ({ name, target: spec.manifestDesc, labels: {} })));
  return ctx.index.byId(manifest.config.digest)!;
}
