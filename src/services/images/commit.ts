/**
 * Making an image from a container's changes (`docker commit`, and the builder's steps): the
 * diff of the container's active snapshot against its parent becomes a new uncompressed layer
 * blob (streamed into the content store, its digest is the diff id), appended to the parent
 * image's config with a history entry, then unpacked like any other layer. The containers
 * service pauses the container and merges the run config; this helper takes the result.
 */
import { PassThrough } from 'node:stream';
import { digestOf } from '../../containerd/content/digest.js';
import { writeSnapshotDiff } from '../../containerd/snapshots/index.js';
import { MediaType, type Descriptor, type ImageConfig, type ImageRunConfig, type Manifest } from '../../oci/image-spec.js';
import { familiarString, type Reference } from '../../registry/reference/index.js';
import { applyChanges } from './changes.js';
import type { ImagesContext } from './context.js';
import { createImage } from './create.js';
import { ingestStream } from './ingest.js';
import { danglingName } from './names.js';
import { putBlob } from './pull.js';
import type { ImageView } from './types.js';

export interface CommitOptions {
  /** The container's active snapshot key. */
  snapshotKey: string;
  /** The image the container was created from (id), if any. */
  parentImage?: string;
  /** The run config for the new image (the container's, merged by the caller). */
  config?: ImageRunConfig;
  changes?: string[];
  author?: string;
  comment?: string;
  /** History `created_by`, e.g. the container's command. */
  createdBy?: string;
  ref?: Reference;
  platform?: { architecture: string; os: string; variant?: string };
}

export async function commitFromDiff(ctx: ImagesContext, opts: CommitOptions): Promise<ImageView> {
  return ctx.lock.shared(async () => {
    const parent = opts.parentImage ? ctx.index.resolve(opts.parentImage) : undefined;
    const pass = new PassThrough();
    const [layer] = await Promise.all([ingestStream(ctx.content, pass), writeSnapshotDiff(ctx.snapshotter, opts.snapshotKey, pass)]);
    const created = new Date().toISOString();
    const base: ImageConfig = parent?.config ?? { architecture: opts.platform?.architecture ?? ctx.platform.architecture, os: opts.platform?.os ?? ctx.platform.os, rootfs: { type: 'layers', diff_ids: [] } };
    const config: ImageConfig = {
      ...base,
      created,
      ...(opts.author ? { author: opts.author } : {}),
      config: applyChanges(opts.config ?? base.config ?? {}, opts.changes ?? []),
      rootfs: { type: 'layers', diff_ids: [...(base.rootfs?.diff_ids ?? []), layer.digest] },
      history: [...(base.history ?? []), { created, ...(opts.author ? { author: opts.author } : {}), ...(opts.createdBy ? { created_by: opts.createdBy } : {}), ...(opts.comment ? { comment: opts.comment } : {}) }],
    };
    if (opts.comment) config['comment'] = opts.comment;
    const configRaw = Buffer.from(JSON.stringify(config));
    const configDesc: Descriptor = { mediaType: MediaType.ociConfig, digest: digestOf(configRaw), size: configRaw.length };
    await putBlob(ctx, configDesc, configRaw);
    const m: Manifest = {
      schemaVersion: 2, mediaType: MediaType.ociManifest, config: configDesc,
      layers: [...(parent?.manifest.layers ?? []), { mediaType: MediaType.ociLayer, digest: layer.digest, size: layer.size }],
    };
    const manifestRaw = Buffer.from(JSON.stringify(m));
    const manifestDesc: Descriptor = { mediaType: MediaType.ociManifest, digest: digestOf(manifestRaw), size: manifestRaw.length };
    const view = await createImage(ctx, { manifestDesc, manifestRaw, records: [opts.ref ? opts.ref.toString() : danglingName(manifestDesc.digest)] });
    ctx.emit({ action: 'commit', id: view.id, ...(opts.ref ? { name: familiarString(opts.ref) } : {}) });
    return view;
  });
}
