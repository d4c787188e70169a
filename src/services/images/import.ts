/**
 * `docker import` (POST /images/create?fromSrc=): a rootfs tarball — the request body (`-`) or
 * a URL, plain or compressed — becomes a one-layer image. The tar is decompressed on the fly
 * and stored uncompressed (so the blob's digest is its diff id), then unpacked from the store.
 * The config gets the host platform (or the one asked for), the `changes` instructions and a
 * history entry with the commit message.
 */
import { Readable } from 'node:stream';
import { invalidArgument } from '../../common/errors.js';
import { decompress } from '../../containerd/archive/index.js';
import { digestOf } from '../../containerd/content/digest.js';
import { MediaType, type ImageConfig, type Manifest } from '../../oci/image-spec.js';
import type { PlatformSpec } from '../../registry/client/index.js';
import { familiarString, type Reference } from '../../registry/reference/index.js';
import { applyChanges } from './changes.js';
import type { ImagesContext } from './context.js';
import { createImage } from './create.js';
import { ingestStream } from './ingest.js';
import { danglingName } from './names.js';
import { putBlob } from './pull.js';
import { statusMessage, type ProgressOutput } from './progress.js';

export interface ImportOptions {
  /** `-` for the body, else an http(s) URL. */
  source: string;
  body?: Readable;
  ref?: Reference;
  changes?: string[];
  message?: string;
  platform?: PlatformSpec;
}

async function openSource(opts: ImportOptions): Promise<Readable> {
  if (opts.source === '-') {
    if (!opts.body) throw invalidArgument('import source "-" needs a request body');
    return opts.body;
  }
  let url: URL;
  try {
    url = new URL(opts.source.includes('://') ? opts.source : `http://${opts.source}`);
  } catch {
    throw invalidArgument(`invalid import source ${JSON.stringify(opts.source)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidArgument(`unsupported import source scheme ${url.protocol}`);
  const res = await fetch(url);
  if (!res.ok || !res.body) throw invalidArgument(`failed to fetch ${url.href}: status ${res.status}`);
  return Readable.fromWeb(res.body as import('node:stream/web').ReadableStream);
}

export async function importImage(ctx: ImagesContext, opts: ImportOptions, out: ProgressOutput): Promise<string> {
  const config0 = applyChanges({}, opts.changes ?? []);
  const source = await openSource(opts);
  return ctx.lock.shared(async () => {
    const layer = await ingestStream(ctx.content, decompress(source));
    const created = new Date().toISOString();
    const p = opts.platform ?? ctx.platform;
    const config: ImageConfig = {
      architecture: p.architecture, os: p.os, ...(p.variant ? { variant: p.variant } : {}),
      created, config: config0,
      rootfs: { type: 'layers', diff_ids: [layer.digest] },
      history: [{ created, comment: opts.message || `Imported from ${opts.source}` }],
    };
    const configRaw = Buffer.from(JSON.stringify(config));
    const configDesc = { mediaType: MediaType.ociConfig, digest: digestOf(configRaw), size: configRaw.length };
    await putBlob(ctx, configDesc, configRaw);
    const m: Manifest = { schemaVersion: 2, mediaType: MediaType.ociManifest, config: configDesc, layers: [{ mediaType: MediaType.ociLayer, digest: layer.digest, size: layer.size }] };
    const manifestRaw = Buffer.from(JSON.stringify(m));
    const manifestDesc = { mediaType: MediaType.ociManifest, digest: digestOf(manifestRaw), size: manifestRaw.length };
    await createImage(ctx, { manifestDesc, manifestRaw, records: [opts.ref ? opts.ref.toString() : danglingName(manifestDesc.digest)] });
    out.write(statusMessage(configDesc.digest));
    ctx.emit({ action: 'import', id: configDesc.digest, ...(opts.ref ? { name: familiarString(opts.ref) } : {}) });
    return configDesc.digest;
  });
}
