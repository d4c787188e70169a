/**
 * Images of metadata-only build steps (ENV, LABEL, CMD, …): the parent's layers and manifest
 * layers unchanged, a new config with the step's run config and a history entry marked
 * `empty_layer`, as the legacy builder writes them. Built on the images service's own content
 * helpers so the result is an ordinary image (inspect, history, tag, GC).
 */
import { digestOf } from '../../containerd/content/digest.js';
import { MediaType, type Descriptor, type ImageConfig, type Manifest } from '../../oci/image-spec.js';
import type { CommitSpec } from '../../builder/engine/index.js';
import type { ImagesService } from '../images/index.js';
import { createImage } from '../images/create.js';
import { danglingName } from '../images/names.js';
import { putBlob } from '../images/pull.js';

export async function commitConfigImage(images: ImagesService, spec: CommitSpec): Promise<string> {
  const ctx = images.ctx;
  return ctx.lock.shared(async () => {
    const parent = spec.parent ? ctx.index.resolve(spec.parent) : undefined;
    const created = new Date().toISOString();
    const base: ImageConfig = parent?.config ?? {
      architecture: ctx.platform.architecture, os: ctx.platform.os, rootfs: { type: 'layers', diff_ids: [] },
    };
    const config: ImageConfig = {
      ...base,
      created,
      ...(spec.author ? { author: spec.author } : {}),
      config: spec.config,
      rootfs: { type: 'layers', diff_ids: [...(base.rootfs?.diff_ids ?? [])] },
      history: [...(base.history ?? []), { created, ...(spec.author ? { author: spec.author } : {}), created_by: spec.createdBy, empty_layer: true }],
    };
    const configRaw = Buffer.from(JSON.stringify(config));
    const configDesc: Descriptor = { mediaType: MediaType.ociConfig, digest: digestOf(configRaw), size: configRaw.length };
    await putBlob(ctx, configDesc, configRaw);
    const m: Manifest = { schemaVersion: 2, mediaType: MediaType.ociManifest, config: configDesc, layers: [...(parent?.manifest.layers ?? [])] };
    const manifestRaw = Buffer.from(JSON.stringify(m));
    const manifestDesc: Descriptor = { mediaType: MediaType.ociManifest, digest: digestOf(manifestRaw), size: manifestRaw.length };
    const view = await createImage(ctx, { manifestDesc, manifestRaw, records: [danglingName(manifestDesc.digest)] });
    return view.id;
  });
}
