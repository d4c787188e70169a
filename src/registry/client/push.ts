/**
 * The push half of the registry client (OCI distribution "Pushing blobs" / "Pushing manifests"):
 * skip blobs the registry has, mount from another repository of the same registry when told
 * where the blob lives, else open an upload session and send the blob in one PUT (streamed) or in
 * PATCH chunks with Content-Range, closing with a PUT that names the digest. Manifests go up by
 * tag or by digest; the digest the registry reports must be the one of the bytes we sent.
 */
import type { Readable } from 'node:stream';
import { EngineError, failedPrecondition, invalidArgument } from '../../common/errors.js';
import { digestOf } from '../../containerd/content/digest.js';
import type { Descriptor } from '../../oci/image-spec.js';
import type { Reference } from '../reference/index.js';
import type { AuthConfig } from './credentials.js';
import { registryError } from './errors.js';
import { discard, readBody, type HttpResponse } from './http.js';
import type { Endpoint } from './hosts.js';
import { pullScope, pushScope, type Session } from './session.js';

export interface PushBlobOptions {
  /** A repository of the same registry that already holds the blob: try a cross-repository mount. */
  mountFrom?: Reference;
  /** Upload in PATCH chunks of this many bytes instead of one streamed PUT. */
  chunkSize?: number;
}

async function fail(res: HttpResponse, context: string): Promise<never> {
  const body = await readBody(res, 1 << 20).catch(() => Buffer.alloc(0));
  throw registryError(res.status, body, context);
}

function locationOf(res: HttpResponse): URL {
  const loc = res.headers.location;
  if (loc === undefined) throw new EngineError('unavailable', `registry sent no upload location (status ${res.status})`);
  return new URL(loc, res.url);
}

async function headBlob(s: Session, ep: Endpoint, ref: Reference, desc: Pick<Descriptor, 'digest'>, scopes: string[], creds: AuthConfig | undefined): Promise<boolean> {
  const res = await s.send(ep, { method: 'HEAD', path: `/v2/${ref.path}/blobs/${desc.digest}` }, scopes, creds);
  discard(res);
  if (res.status === 200) return true;
  if (res.status === 404) return false;
  return fail(res, `checking blob ${desc.digest}`);
}

export async function blobExists(s: Session, ref: Reference, desc: Pick<Descriptor, 'digest'>, creds: AuthConfig | undefined): Promise<boolean> {
  return s.withEndpoints(ref, 'push', (ep) => headBlob(s, ep, ref, desc, [pullScope(ref.path)], creds));
}

/** Splits a stream into buffers of `size` bytes (the last may be shorter), holding one at a time. */
async function* chunksOf(stream: Readable, size: number): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let held = 0;
  for await (const c of stream) {
    let chunk = c as Buffer;
    while (held + chunk.length >= size) {
      const take = size - held;
      parts.push(chunk.subarray(0, take));
      yield Buffer.concat(parts);
      parts = [];
      held = 0;
      chunk = chunk.subarray(take);
    }
    if (chunk.length > 0) {
      parts.push(chunk);
      held += chunk.length;
    }
  }
  if (held > 0) yield Buffer.concat(parts);
}

export async function pushBlob(s: Session, ref: Reference, desc: Pick<Descriptor, 'digest' | 'size'>, open: () => Readable, creds: AuthConfig | undefined, opts: PushBlobOptions = {}): Promise<void> {
  const from = opts.mountFrom;
  const scopes = [pushScope(ref.path), ...(from !== undefined && from.domain === ref.domain && from.path !== ref.path ? [pullScope(from.path)] : [])];
  await s.withEndpoints(ref, 'push', async (ep) => {
    if (await headBlob(s, ep, ref, desc, scopes, creds)) return;
    let start: HttpResponse;
    if (scopes.length > 1 && from !== undefined) {
      const q = new URLSearchParams({ mount: desc.digest, from: from.path });
      start = await s.send(ep, { method: 'POST', path: `/v2/${ref.path}/blobs/uploads/?${q}`, headers: { 'Content-Length': '0' } }, scopes, creds);
      if (start.status === 201) {
        discard(start);
        return;
      }
    } else {
      start = await s.send(ep, { method: 'POST', path: `/v2/${ref.path}/blobs/uploads/`, headers: { 'Content-Length': '0' } }, scopes, creds);
    }
    if (start.status !== 202) return fail(start, `starting upload of ${desc.digest}`);
    discard(start);
    let location = locationOf(start);

    let done: HttpResponse;
    if (opts.chunkSize === undefined) {
      location.searchParams.set('digest', desc.digest);
      done = await s.send(ep, {
        method: 'PUT', path: location, body: open,
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(desc.size) },
      }, scopes, creds);
    } else {
      if (!(opts.chunkSize > 0)) throw invalidArgument('chunkSize must be positive');
      let offset = 0;
      for await (const chunk of chunksOf(open(), opts.chunkSize)) {
        const res = await s.send(ep, {
          method: 'PATCH', path: location, body: chunk,
          headers: {
            'Content-Type': 'application/octet-stream', 'Content-Length': String(chunk.length),
            'Content-Range': `${offset}-${offset + chunk.length - 1}`,
          },
        }, scopes, creds);
        if (res.status !== 202) return fail(res, `uploading chunk at ${offset} of ${desc.digest}`);
        discard(res);
        location = locationOf(res);
        offset += chunk.length;
      }
      if (offset !== desc.size) throw failedPrecondition(`blob source for ${desc.digest} gave ${offset} bytes, expected ${desc.size}`);
      location.searchParams.set('digest', desc.digest);
      done = await s.send(ep, { method: 'PUT', path: location, headers: { 'Content-Length': '0' } }, scopes, creds);
    }
    if (done.status !== 201) return fail(done, `completing upload of ${desc.digest}`);
    discard(done);
    const reported = done.headers['docker-content-digest'];
    if (reported !== undefined && reported !== desc.digest) {
      throw failedPrecondition(`registry stored blob ${desc.digest} as ${String(reported)}`);
    }
  });
}

/** PUTs a manifest by the reference's digest, else its tag, else its own digest; returns the digest. */
export async function pushManifest(s: Session, ref: Reference, raw: Buffer, mediaType: string, creds: AuthConfig | undefined): Promise<string> {
  const digest = digestOf(raw);
  if (ref.digest !== undefined && ref.digest !== digest) {
    throw invalidArgument(`manifest content hashes to ${digest}, not ${ref.digest}`);
  }
  const target = ref.digest ?? ref.tag ?? digest;
  return s.withEndpoints(ref, 'push', async (ep) => {
    const res = await s.send(ep, {
      method: 'PUT', path: `/v2/${ref.path}/manifests/${target}`, body: raw,
      headers: { 'Content-Type': mediaType, 'Content-Length': String(raw.length) },
    }, [pushScope(ref.path)], creds);
    if (res.status !== 201 && res.status !== 200) return fail(res, `pushing manifest ${target}`);
    discard(res);
    const reported = res.headers['docker-content-digest'];
    if (reported !== undefined && reported !== digest) {
      throw failedPrecondition(`registry stored manifest ${digest} as ${String(reported)}`);
    }
    return digest;
  });
}
