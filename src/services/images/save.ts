/**
 * `docker save`: a tar that is at once an OCI image layout (`oci-layout`, `index.json`,
 * `blobs/sha256/…`) and Docker's archive (`manifest.json`, `repositories`), as Docker 25+ with
 * the containerd image store writes it: blobs are the manifest, config and layers exactly as
 * kept (layers compressed as pulled), so digests survive a save/load round trip. Streamed blob
 * by blob from the content store with backpressure; metadata files have time 0 so the same
 * images give the same bytes.
 */
import type { Writable } from 'node:stream';
import { TarWriter } from '../../containerd/archive/tar/index.js';
import { AnnotationContainerdImageName, AnnotationRefName, MediaType, type Descriptor, type Index } from '../../oci/image-spec.js';
import { familiarName, familiarString, parseNormalizedNamed, tagNameOnly, type Reference } from '../../registry/reference/index.js';
import type { ImagesContext } from './context.js';
import { recordRef } from './names.js';
import type { ImageView } from './types.js';

export interface SaveJob {
  images: Array<{ view: ImageView; tags: Reference[] }>;
}

/** Resolves the names first, so that an unknown one is a 404 before any byte is sent. */
export function prepareSave(ctx: ImagesContext, names: string[]): SaveJob {
  const byId = new Map<string, { view: ImageView; tags: Reference[] }>();
  for (const name of names) {
    const view = ctx.index.resolve(name);
    const entry = byId.get(view.id) ?? { view, tags: [] };
    byId.set(view.id, entry);
    const isId = /^(sha256:)?[a-f0-9]+$/.test(name) && view.id.slice(7).startsWith(name.replace(/^sha256:/, ''));
    let tags: Reference[];
    if (isId) {
      tags = view.records.map(recordRef).filter((r): r is Reference => r?.tag !== undefined);
    } else {
      const ref = tagNameOnly(parseNormalizedNamed(name));
      tags = ref.tag !== undefined && ref.digest === undefined ? [ref] : [];
    }
    for (const t of tags) if (!entry.tags.some((x) => x.toString() === t.toString())) entry.tags.push(t);
  }
  return { images: [...byId.values()] };
}

const hexOf = (d: string): string => d.slice(d.indexOf(':') + 1);

export async function writeSave(ctx: ImagesContext, job: SaveJob, out: Writable): Promise<void> {
  await ctx.lock.shared(async () => {
    const tar = new TarWriter(out);
    const dirs = { type: 'directory' as const, mode: 0o755 };
    await tar.add({ name: 'blobs', ...dirs });
    await tar.add({ name: 'blobs/sha256', ...dirs });
    const written = new Set<string>();
    const blob = async (d: Descriptor): Promise<void> => {
      if (written.has(d.digest)) return;
      written.add(d.digest);
      const info = await ctx.content.info(d.digest);
      await tar.add({ name: `blobs/sha256/${hexOf(d.digest)}`, type: 'file', mode: 0o644, size: info.size }, await ctx.content.read({ digest: d.digest }));
    };
    const index: Index = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] };
    const manifestJson: Array<{ Config: string; RepoTags: string[]; Layers: string[] }> = [];
    const repositories: Record<string, Record<string, string>> = {};
    for (const { view, tags } of job.images) {
      await blob(view.manifestDesc);
      await blob(view.manifest.config);
      for (const l of view.manifest.layers) await blob(l);
      const desc = { mediaType: view.manifestDesc.mediaType, digest: view.manifestDesc.digest, size: view.manifestDesc.size };
      if (tags.length === 0) index.manifests.push(desc);
      for (const t of tags) {
        index.manifests.push({ ...desc, annotations: { [AnnotationContainerdImageName]: t.toString(), [AnnotationRefName]: t.tag! } });
        const top = view.manifest.layers.at(-1);
        if (top) (repositories[familiarName(t)] ??= {})[t.tag!] = hexOf(top.digest);
      }
      manifestJson.push({
        Config: `blobs/sha256/${hexOf(view.manifest.config.digest)}`,
        RepoTags: tags.map((t) => familiarString(t)),
        Layers: view.manifest.layers.map((l) => `blobs/sha256/${hexOf(l.digest)}`),
      });
    }
    const small = async (name: string, value: unknown): Promise<void> => {
      const data = Buffer.from(JSON.stringify(value));
      await tar.add({ name, type: 'file', mode: 0o644, size: data.length }, data);
    };
    await small('index.json', index);
    await small('manifest.json', manifestJson);
    await small('oci-layout', { imageLayoutVersion: '1.0.0' });
    if (Object.keys(repositories).length > 0) await small('repositories', repositories);
    await tar.finish();
  });
  ctx.emit({ action: 'save', id: job.images.map((i) => i.view.id).join(',') });
}
