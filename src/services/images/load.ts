/**
 * `docker load`: reads an image archive in one pass — the Docker 25+ layout (OCI layout plus
 * `manifest.json`), the legacy one (`<id>/layer.tar`, `<config>.json`) and skopeo's
 * docker-archive — streaming every blob straight into the content store (verified when its name
 * is its digest), keeping only the small JSON files in memory. Since `manifest.json` usually
 * comes after the blobs, images are assembled once the archive ends: each layer is unpacked from
 * the store and checked against the config's diff ids, manifests from the archive's
 * `index.json` are kept when they match (so digests survive a round trip), else one is made.
 */
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { invalidArgument } from '../../common/errors.js';
import { detectCompression } from '../../containerd/archive/index.js';
import { readTar } from '../../containerd/archive/tar/index.js';
import { readBlob } from '../../containerd/content/index.js';
import { digestOf } from '../../containerd/content/digest.js';
import { MediaType, isManifestMediaType, type Descriptor, type ImageConfig, type Index, type Manifest } from '../../oci/image-spec.js';
import { familiarString, parseNormalizedNamed, tagNameOnly } from '../../registry/reference/index.js';
import type { ImagesContext } from './context.js';
import { ingestStream, readSmall } from './ingest.js';
import { danglingName } from './names.js';
import type { ProgressOutput } from './progress.js';
import { createImage } from './create.js';

interface ManifestItem {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

const BLOB_PATH = /^blobs\/sha256\/([a-f0-9]{64})$/;

function clean(p: string): string {
  return posix.normalize(`/${p}`).slice(1).replace(/\/$/, '');
}

export async function loadImages(ctx: ImagesContext, input: Readable, out: ProgressOutput): Promise<string[]> {
  return ctx.lock.shared(async () => {
    const blobs = new Map<string, string>();
    const small = new Map<string, Buffer>();
    const links = new Map<string, string>();
    for await (const { header, body } of readTar(input)) {
      const name = clean(header.name);
      if (header.type === 'symlink') links.set(name, clean(posix.join(posix.dirname(name), header.linkname)));
      else if (header.type === 'link') links.set(name, clean(header.linkname));
      if (header.type !== 'file') continue;
      const m = BLOB_PATH.exec(name);
      if (m) blobs.set(name, (await ingestStream(ctx.content, body, `sha256:${m[1]}`)).digest);
      else if (name.endsWith('.tar') || posix.basename(name) === 'layer.tar') blobs.set(name, (await ingestStream(ctx.content, body)).digest);
      else small.set(name, await readSmall(body, 8 << 20, name));
    }
    const target = (p: string): string => {
      let q = clean(p);
      for (let i = 0; i < 16 && links.has(q); i++) q = links.get(q)!;
      return q;
    };
    /** The digest of an archive file, putting small files into the store on demand. */
    const digestOfPath = async (p: string): Promise<string> => {
      const q = target(p);
      const d = blobs.get(q);
      if (d) return d;
      const data = small.get(q);
      if (!data) throw invalidArgument(`invalid archive: ${p} not found`);
      const r = await ingestStream(ctx.content, [data]);
      blobs.set(q, r.digest);
      return r.digest;
    };

    const manifestData = small.get('manifest.json');
    if (!manifestData) throw invalidArgument('invalid archive: does not contain a manifest.json');
    let items: ManifestItem[];
    try {
      items = JSON.parse(manifestData.toString()) as ManifestItem[];
      if (!Array.isArray(items)) throw new Error('not an array');
    } catch (e) {
      throw invalidArgument(`invalid archive: manifest.json: ${(e as Error).message}`);
    }

    // Manifests the archive carries (OCI layout), by config digest.
    const known = new Map<string, { desc: Descriptor; manifest: Manifest }>();
    const indexData = small.get('index.json');
    if (indexData) {
      const index = JSON.parse(indexData.toString()) as Index;
      for (const d of index.manifests ?? []) {
        if (!isManifestMediaType(d.mediaType)) continue;
        try {
          const manifest = JSON.parse((await readBlob(ctx.content, d)).toString()) as Manifest;
          known.set(manifest.config.digest, { desc: { mediaType: d.mediaType, digest: d.digest, size: d.size }, manifest });
        } catch { /* a manifest not in the archive: make one */ }
      }
    }

    const loaded: string[] = [];
    for (const item of items) {
      const configDigest = await digestOfPath(item.Config);
      const configRaw = await readBlob(ctx.content, { digest: configDigest });
      const config = JSON.parse(configRaw.toString()) as ImageConfig;
      const diffIds = config.rootfs?.diff_ids ?? [];
      if (diffIds.length !== item.Layers.length) {
        throw invalidArgument(`invalid manifest, layers length mismatch: expected ${diffIds.length}, got ${item.Layers.length}`);
      }
      const layerDigests: string[] = [];
      for (const l of item.Layers) layerDigests.push(await digestOfPath(l));
      const carried = known.get(configDigest);
      let manifestDesc: Descriptor | undefined;
      let manifestRaw: Buffer | undefined;
      if (carried && carried.manifest.layers.map((l) => l.digest).join() === layerDigests.join()) {
        manifestDesc = carried.desc;
      } else {
        const layers: Descriptor[] = [];
        for (const d of layerDigests) {
          const head = await readSmall(await ctx.content.read({ digest: d }, { length: 4 }), 16);
          const kind = detectCompression(head);
          const info = await ctx.content.info(d);
          layers.push({ mediaType: kind === 'gzip' ? MediaType.ociLayerGzip : kind === 'zstd' ? MediaType.ociLayerZstd : MediaType.ociLayer, digest: d, size: info.size });
        }
        const m: Manifest = { schemaVersion: 2, mediaType: MediaType.ociManifest, config: { mediaType: MediaType.ociConfig, digest: configDigest, size: configRaw.length }, layers };
        manifestRaw = Buffer.from(JSON.stringify(m));
        manifestDesc = { mediaType: MediaType.ociManifest, digest: digestOf(manifestRaw), size: manifestRaw.length };
      }
      const tags = (item.RepoTags ?? []).map((t) => tagNameOnly(parseNormalizedNamed(t)));
      await createImage(ctx, {
        manifestDesc, ...(manifestRaw ? { manifestRaw } : {}),
        records: tags.length ? tags.map((t) => t.toString()) : [danglingName(manifestDesc.digest)],
      });
      if (tags.length) {
        for (const t of tags) out.write({ stream: `Loaded image: ${familiarString(t)}\n` });
      } else {
        out.write({ stream: `Loaded image ID: ${configDigest}\n` });
      }
      loaded.push(configDigest);
      ctx.emit({ action: 'load', id: configDigest });
    }
    return loaded;
  });
}
