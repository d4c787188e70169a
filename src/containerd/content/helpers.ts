/**
 * Helpers over the content roles, as containerd's `content.WriteBlob` / `ReadBlob`: write a blob
 * from a source that can start at an offset (so an interrupted pull resumes where it stopped),
 * wait for another writer of the same ref instead of failing, and read small blobs into memory.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Readable } from 'node:stream';
import { EngineError, failedPrecondition } from '../../common/errors.js';
import type { Digest } from './digest.js';
import type { BlobDescriptor, Ingester, Provider, Writer } from './index.js';

/**
 * Opens the source at `offset`. It returns the offset it actually starts at: a server that
 * ignores a Range request starts at 0, and then the ingest restarts from 0.
 */
export type BlobSource = (offset: number) => Promise<{ stream: Readable; offset: number }>;

export interface WriteBlobOptions {
  labels?: Record<string, string>;
  /** How long to wait for another writer of the same ref (default 10 minutes). */
  lockTimeoutMs?: number;
  signal?: AbortSignal;
}

async function openWriter(store: Ingester, ref: string, desc: BlobDescriptor, opts: WriteBlobOptions): Promise<Writer | undefined> {
  const deadline = Date.now() + (opts.lockTimeoutMs ?? 600_000);
  let delay = 10;
  for (;;) {
    try {
      return await store.writer({ ref, desc });
    } catch (e) {
      if (e instanceof EngineError && e.kind === 'already-exists') return undefined;
      if (!(e instanceof EngineError) || e.kind !== 'unavailable' || Date.now() >= deadline) throw e;
    }
    opts.signal?.throwIfAborted();
    await sleep(delay, undefined, opts.signal ? { signal: opts.signal } : {});
    delay = Math.min(delay * 2, 500);
  }
}

/**
 * Writes a blob with known digest (and, when known, size), verified before it becomes visible.
 * Resolves once the blob is in the store — also when it already was, or another writer put it there.
 */
export async function writeBlob(store: Ingester, ref: string, source: BlobSource, desc: BlobDescriptor, opts: WriteBlobOptions = {}): Promise<void> {
  const w = await openWriter(store, ref, desc, opts);
  if (w === undefined) return;
  try {
    const size = desc.size ?? 0;
    if (size === 0 || w.offset < size) {
      const { stream, offset } = await source(w.offset);
      if (offset !== w.offset) {
        if (offset !== 0) throw failedPrecondition(`source for ${ref} started at ${offset}, wanted ${w.offset}`);
        await w.truncate(0);
      }
      for await (const chunk of stream) {
        opts.signal?.throwIfAborted();
        await w.write(chunk as Buffer);
        if (size > 0 && w.offset > size) {
          stream.destroy();
          throw failedPrecondition(`content for ${ref} is larger than its expected size ${size}`);
        }
      }
    }
    await w.commit(size, desc.digest, opts.labels ? { labels: opts.labels } : {});
  } catch (e) {
    if (e instanceof EngineError && e.kind === 'already-exists') return;
    throw e;
  } finally {
    await w.close();
  }
}

/** Reads a whole blob into memory; only for small blobs (manifests, configs), capped by `maxSize`. */
export async function readBlob(store: Provider, desc: BlobDescriptor & { digest: Digest }, maxSize = 8 << 20): Promise<Buffer> {
  const stream = await store.read(desc);
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of stream) {
    n += (chunk as Buffer).length;
    if (n > maxSize) {
      stream.destroy();
      throw failedPrecondition(`blob ${desc.digest} is larger than ${maxSize} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
