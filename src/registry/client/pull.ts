/**
 * The pull half of the registry client: manifests (fetched with every schema-2 and OCI media
 * type in Accept, verified against the digest asked for or announced), platform selection from
 * an index, and blobs as verified streams — or as resumable sources for the content store, where
 * the store's commit does the verifying.
 */
import type { Readable } from 'node:stream';
import { EngineError, failedPrecondition, invalidArgument, notImplemented } from '../../common/errors.js';
import type { BlobSource } from '../../containerd/content/helpers.js';
import { digestOf, splitDigest } from '../../containerd/content/digest.js';
import {
  MANIFEST_ACCEPT, MediaType, isIndexMediaType, isManifestMediaType, isSchema1MediaType,
  type Descriptor, type Index, type Manifest,
} from '../../oci/image-spec.js';
import { familiarString, type Reference } from '../reference/index.js';
import type { AuthConfig } from './credentials.js';
import { registryError } from './errors.js';
import { discard, readBody } from './http.js';
import { defaultPlatform, selectManifest, type PlatformSpec } from './platform.js';
import { pullScope, type Session } from './session.js';
import { VerifyingStream } from './verify.js';

/** Manifests are small; anything bigger is refused before it is parsed (containerd: 4 MiB). */
export const MAX_MANIFEST_SIZE = 4 << 20;

export interface FetchedManifest {
  digest: string;
  mediaType: string;
  raw: Buffer;
}

export interface ResolvedImage {
  /** The reference asked for, now pinned to the digest of the selected manifest. */
  name: Reference;
  digest: string;
  mediaType: string;
  manifest: Manifest;
  raw: Buffer;
  /** Set when the reference named an index / manifest list. */
  indexDigest?: string;
  index?: FetchedManifest & { index: Index };
}

function manifestTarget(ref: Reference): string {
  const target = ref.digest ?? ref.tag;
  if (target === undefined) throw invalidArgument(`reference ${ref.toString()} has neither tag nor digest`);
  return target;
}

/** The media type: the Content-Type header unless generic, else the document's own field. */
function detectMediaType(contentType: string | undefined, raw: Buffer): string {
  const ct = (contentType ?? '').split(';')[0]?.trim() ?? '';
  if (ct.startsWith('application/vnd.')) return ct;
  let doc: { mediaType?: string; manifests?: unknown; config?: unknown; schemaVersion?: number };
  try {
    doc = JSON.parse(raw.toString()) as typeof doc;
  } catch {
    throw invalidArgument('invalid manifest: not JSON');
  }
  if (typeof doc.mediaType === 'string' && doc.mediaType) return doc.mediaType;
  if (doc.schemaVersion === 1) return MediaType.dockerSchema1SignedManifest;
  if (doc.manifests !== undefined) return MediaType.ociIndex;
  if (doc.config !== undefined) return MediaType.ociManifest;
  return ct;
}

function schema1Error(ref: Reference): EngineError {
  return notImplemented(`${familiarString(ref)} uses the Docker image manifest v2 schema 1 format, which is no longer supported; the image must be republished as an OCI or Docker schema 2 image`);
}

export async function fetchManifest(s: Session, ref: Reference, creds: AuthConfig | undefined, expect?: Pick<Descriptor, 'digest' | 'size'>): Promise<FetchedManifest> {
  const target = expect?.digest ?? manifestTarget(ref);
  return s.withEndpoints(ref, 'pull', async (ep) => {
    const res = await s.send(ep, {
      method: 'GET', path: `/v2/${ref.path}/manifests/${target}`, headers: { Accept: MANIFEST_ACCEPT.join(', ') },
    }, [pullScope(ref.path)], creds);
    if (res.status !== 200) {
      const body = await readBody(res, 1 << 20).catch(() => Buffer.alloc(0));
      if (res.status === 404) throw new EngineError('not-found', `manifest for ${familiarString(ref)} not found: ${registryError(404, body).message}`);
      throw registryError(res.status, body, `${familiarString(ref)}`);
    }
    const raw = await readBody(res, MAX_MANIFEST_SIZE);
    const wanted = target.includes(':') ? target : (res.headers['docker-content-digest'] as string | undefined);
    const algorithm = wanted !== undefined ? splitDigest(wanted).algorithm : 'sha256';
    const digest = digestOf(raw, algorithm);
    if (wanted !== undefined && digest !== wanted) {
      throw failedPrecondition(`manifest verification failed for ${familiarString(ref)}: expected ${wanted}, content hashes to ${digest}`);
    }
    if (expect?.size !== undefined && expect.size > 0 && raw.length !== expect.size) {
      throw failedPrecondition(`manifest ${digest} is ${raw.length} bytes, expected ${expect.size}`);
    }
    return { digest, mediaType: detectMediaType(res.headers['content-type'], raw), raw };
  });
}

/** HEAD on a manifest: its descriptor without the body (falls back to GET without a digest header). */
export async function headManifest(s: Session, ref: Reference, creds: AuthConfig | undefined): Promise<Descriptor> {
  const target = manifestTarget(ref);
  const desc = await s.withEndpoints(ref, 'pull', async (ep) => {
    const res = await s.send(ep, {
      method: 'HEAD', path: `/v2/${ref.path}/manifests/${target}`, headers: { Accept: MANIFEST_ACCEPT.join(', ') },
    }, [pullScope(ref.path)], creds);
    discard(res);
    if (res.status === 404) throw new EngineError('not-found', `manifest for ${familiarString(ref)} not found: manifest unknown: manifest unknown`);
    if (res.status !== 200) throw registryError(res.status, '', familiarString(ref));
    const digest = res.headers['docker-content-digest'] as string | undefined;
    const ct = (res.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
    if (digest === undefined || !ct.startsWith('application/vnd.')) return undefined;
    return { mediaType: ct, digest, size: Number(res.headers['content-length'] ?? 0) };
  });
  if (desc !== undefined) return desc;
  const m = await fetchManifest(s, ref, creds);
  return { mediaType: m.mediaType, digest: m.digest, size: m.raw.length };
}

/** Resolves a reference to one image manifest, through an index when there is one. */
export async function resolve(s: Session, ref: Reference, creds: AuthConfig | undefined, platform: PlatformSpec = defaultPlatform()): Promise<ResolvedImage> {
  let current = await fetchManifest(s, ref, creds);
  let top: ResolvedImage['index'];
  for (let depth = 0; ; depth++) {
    if (isSchema1MediaType(current.mediaType)) throw schema1Error(ref);
    if (isManifestMediaType(current.mediaType)) {
      const manifest = JSON.parse(current.raw.toString()) as Manifest;
      if (!manifest.config || !Array.isArray(manifest.layers)) throw invalidArgument(`invalid manifest ${current.digest}: missing config or layers`);
      return {
        name: ref.trimmed().withDigest(current.digest),
        digest: current.digest,
        mediaType: current.mediaType,
        manifest,
        raw: current.raw,
        ...(top !== undefined ? { indexDigest: top.digest, index: top } : {}),
      };
    }
    if (!isIndexMediaType(current.mediaType) || depth >= 2) {
      throw invalidArgument(`unsupported manifest media type ${JSON.stringify(current.mediaType)} for ${familiarString(ref)}`);
    }
    const index = JSON.parse(current.raw.toString()) as Index;
    top ??= { ...current, index };
    const chosen = selectManifest(index, platform);
    current = await fetchManifest(s, ref, creds, chosen);
  }
}

/** Opens a blob (from `offset` when asked: a Range request, which a registry may ignore). */
async function openBlob(s: Session, ref: Reference, desc: Pick<Descriptor, 'digest'>, creds: AuthConfig | undefined, offset: number): Promise<{ stream: Readable; offset: number }> {
  return s.withEndpoints(ref, 'pull', async (ep) => {
    const res = await s.send(ep, {
      method: 'GET', path: `/v2/${ref.path}/blobs/${desc.digest}`,
      headers: offset > 0 ? { Range: `bytes=${offset}-` } : {},
    }, [pullScope(ref.path)], creds);
    if (res.status === 200) return { stream: res.body, offset: 0 };
    if (res.status === 206 && offset > 0) return { stream: res.body, offset };
    const body = await readBody(res, 1 << 20).catch(() => Buffer.alloc(0));
    throw registryError(res.status, body, `fetching blob ${desc.digest}`);
  });
}

/** A blob as a stream that fails unless its size and digest match the descriptor. */
export async function fetchBlob(s: Session, ref: Reference, desc: Pick<Descriptor, 'digest' | 'size'>, creds: AuthConfig | undefined): Promise<Readable> {
  const verifier = new VerifyingStream(desc.digest, desc.size);
  const { stream } = await openBlob(s, ref, desc, creds, 0);
  stream.on('error', (e) => verifier.destroy(e));
  return stream.pipe(verifier);
}

/** A resumable source for `writeBlob`; the content store verifies at commit. */
export function blobSource(s: Session, ref: Reference, desc: Pick<Descriptor, 'digest'>, creds: AuthConfig | undefined): BlobSource {
  return (offset) => openBlob(s, ref, desc, creds, offset);
}
