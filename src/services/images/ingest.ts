/**
 * Writing a stream of unknown digest into the content store (a layer of an imported or loaded
 * archive): the ingest computes the digest as bytes pass, and commit names the blob by it. When
 * the digest is known in advance (an OCI layout's `blobs/sha256/<hex>`) it is verified instead.
 */
import { randomBytes } from 'node:crypto';
import { isEngineError } from '../../common/errors.js';
import type { Store } from '../../containerd/content/index.js';

export async function ingestStream(content: Store, body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, expected?: string): Promise<{ digest: string; size: number }> {
  const w = await content.writer({ ref: `ingest-${randomBytes(8).toString('hex')}` });
  try {
    let size = 0;
    for await (const chunk of body) {
      await w.write(chunk);
      size += chunk.length;
    }
    const digest = w.digest();
    try {
      await w.commit(size, expected ?? digest);
    } catch (e) {
      if (!isEngineError(e) || e.kind !== 'already-exists') throw e;
    }
    return { digest: expected ?? digest, size };
  } finally {
    await w.close();
  }
}

/** Reads at most `max` bytes of a small stream into memory. */
export async function readSmall(body: AsyncIterable<Uint8Array>, max = 8 << 20, what = 'file'): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const c of body) {
    n += c.length;
    if (n > max) throw new Error(`${what} is larger than ${max} bytes`);
    parts.push(Buffer.from(c));
  }
  return Buffer.concat(parts);
}
