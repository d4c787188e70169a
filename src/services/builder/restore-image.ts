/**
 * `--cache-from` hits of the classic builder (moby `image/cache` restoreCachedImage): a step that
 * matches entry `historyIndex` of a cache source image becomes a new image made of the build's
 * parent plus that entry — the source's layer for it (when the entry made one) and its history
 * entry unchanged, so that the following steps keep matching the source's history — with the
 * build's own run config.
 */
import { digestOf } from '../../containerd/content/digest.js';
import { MediaType, type Descriptor, type ImageConfig, type ImageRunConfig, type Manifest } from '../../oci/image-spec.js';
import type { ImagesService } from '../images/index.js';
import { createImage } from '../images/create.js';
import { danglingName } from '../images/names.js';
import { putBlob } from '../images/pull.js';

export interface RestoreSpec {
  parent: string | undefined;
  source: string;
  historyIndex: number;
  config: ImageRunConfig;
}

export async function restoreCachedImage(images: ImagesService, spec: RestoreSpec): Promise<string> {
  const ctx = images.ctx;
  return ctx.lock.shared(async () => {
    const parent = spec.parent ? ctx.index.resolve(spec.parent) : undefined;
    const source = ctx.index.resolve(spec.source);
    const history = source.config.history ?? [];
    const entry = history[spec.historyIndex];
    if (!entry) throw new Error(`cache source ${spec.source} has no history entry ${spec.historyIndex}`);
    const layerAt = history.slice(0, spec.historyIndex).filter((h) => !h.empty_layer).length;
    const base: ImageConfig = parent?.config ?? {
      architecture: source.config.architecture, os: source.config.os, rootfs: { type: 'layers', diff_ids: [] },
    };
    const diffIds = [...(base.rootfs?.diff_ids ?? [])];
    const layers = [...(parent?.manifest.layers ?? [])];
    if (!entry.empty_layer) {
      diffIds.push(source.config.rootfs!.diff_ids[layerAt]!);
      layers.push(source.manifest.layers[layerAt]!);
    }
    const config: ImageConfig = {
      ...base,
      created: entry.created ?? new Date().toISOString(),
      config: spec.config,
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: [...(base.history ?? []), entry],
    };
    const configRaw = Buffer.from(JSON.stringify(config));
    const configDesc: Descriptor = { mediaType: MediaType.ociConfig, digest: digestOf(configRaw), size: configRaw.length };
    await putBlob(ctx, configDesc, configRaw);
    const m: Manifest = { schemaVersion: 2, mediaType: MediaType.ociManifest, config: configDesc, layers };
    const manifestRaw = Buffer.from(JSON.stringify(m));
    const manifestDesc: Descriptor = { mediaType: MediaType.ociManifest, digest: digestOf(manifestRaw), size: manifestRaw.length };
    const view = await createImage(ctx, { manifestDesc, manifestRaw, records: [danglingName(manifestDesc.digest)] });
    return view.id;
  });
}
