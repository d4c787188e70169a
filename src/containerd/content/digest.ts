/**
 * Content digests (`<algorithm>:<hex>`), validated and worded as opencontainers/go-digest does, and
 * an incremental hasher. Every blob in the store and on the wire is addressed by one of these, so
 * the registry client and the image references reuse this module rather than re-parse digests.
 */
import { createHash, type Hash } from 'node:crypto';
import { invalidArgument } from '../../common/errors.js';

export type Digest = string;

/** Algorithms we can verify, with the hex length each must have. */
const ALGORITHMS: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

/** The grammar of any digest, registered algorithm or not (go-digest's DigestRegexp). */
const DIGEST_GRAMMAR = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

export const ErrDigestInvalidFormat = 'invalid checksum digest format';
export const ErrDigestInvalidLength = 'invalid checksum digest length';
export const ErrDigestUnsupported = 'unsupported digest algorithm';

/** Returns null when `s` is a valid, supported digest, else go-digest's error text. */
export function digestError(s: string): string | null {
  const i = s.indexOf(':');
  if (i <= 0 || i + 1 === s.length) return ErrDigestInvalidFormat;
  const algorithm = s.slice(0, i);
  const encoded = s.slice(i + 1);
  const len = ALGORITHMS[algorithm];
  if (len === undefined) return DIGEST_GRAMMAR.test(s) ? ErrDigestUnsupported : ErrDigestInvalidFormat;
  if (encoded.length !== len) return ErrDigestInvalidLength;
  if (!/^[a-f0-9]+$/.test(encoded)) return ErrDigestInvalidFormat;
  return null;
}

/** Throws invalid-argument unless `s` is a valid, supported digest. */
export function validateDigest(s: string): Digest {
  const err = digestError(s);
  if (err !== null) throw invalidArgument(err);
  return s;
}

export function isDigest(s: string): boolean {
  return digestError(s) === null;
}

export function splitDigest(d: Digest): { algorithm: string; encoded: string } {
  validateDigest(d);
  const i = d.indexOf(':');
  return { algorithm: d.slice(0, i), encoded: d.slice(i + 1) };
}

/** sha256 digest of bytes held in memory (manifests, configs — never layers). */
export function digestOf(data: Uint8Array | string, algorithm = 'sha256'): Digest {
  return `${algorithm}:${createHash(algorithm).update(data).digest('hex')}`;
}

/** Hashes data as it streams by; `digest()` may be read at any point without ending the hash. */
export class Digester {
  readonly algorithm: string;
  #hash: Hash;
  #size = 0;
  constructor(algorithm = 'sha256') {
    if (ALGORITHMS[algorithm] === undefined) throw invalidArgument(ErrDigestUnsupported);
    this.algorithm = algorithm;
    this.#hash = createHash(algorithm);
  }
  update(chunk: Uint8Array): void {
    this.#hash.update(chunk);
    this.#size += chunk.length;
  }
  get size(): number {
    return this.#size;
  }
  digest(): Digest {
    // copy() keeps the running state so that writers can report their digest mid-stream.
    return `${this.algorithm}:${this.#hash.copy().digest('hex')}`;
  }
}
