/**
 * Layer blobs arrive gzip- or zstd-compressed or plain; the media type says which, but the
 * bytes are the authority (some registries mislabel), so we sniff the magic number:
 * gzip 1f 8b, zstd 28 b5 2f fd, anything else is taken as an uncompressed tar.
 * zstd: node:zlib has it from Node 22.15; on Node 20 we use fzstd, a pure-JS decoder.
 */
import { PassThrough, Readable, Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { Decompress } from 'fzstd';
import { invalidArgument } from '../../common/errors.js';

export type Compression = 'gzip' | 'zstd' | 'none';

const GZIP = Buffer.from([0x1f, 0x8b]);
const ZSTD = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);

export function detectCompression(head: Uint8Array): Compression {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (b.subarray(0, 2).equals(GZIP)) return 'gzip';
  if (b.subarray(0, 4).equals(ZSTD)) return 'zstd';
  return 'none';
}

/** A streaming zstd decoder as a Transform (fzstd calls back synchronously from push). */
class ZstdDecoder extends Transform {
  private readonly dec = new Decompress((data) => { this.push(Buffer.from(data)); });

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try { this.dec.push(chunk); cb(); } catch (e) { cb(invalidArgument(`invalid zstd data: ${(e as Error).message}`, e)); }
  }

  override _flush(cb: TransformCallback): void {
    try { this.dec.push(new Uint8Array(0), true); cb(); } catch (e) { cb(invalidArgument(`invalid zstd data: ${(e as Error).message}`, e)); }
  }
}

export function decompressorFor(kind: Compression): Transform {
  if (kind === 'gzip') return zlib.createGunzip();
  if (kind === 'zstd') {
    const native = (zlib as unknown as { createZstdDecompress?: () => Transform }).createZstdDecompress;
    return native ? native() : new ZstdDecoder();
  }
  return new PassThrough();
}

/**
 * Returns a stream of the decompressed bytes of `input`, detecting the format from the first
 * bytes. Backpressure holds end to end; an error on either side surfaces on the returned stream,
 * and destroying the returned stream releases `input`.
 */
export function decompress(input: Readable): Readable {
  async function* run(): AsyncGenerator<Buffer> {
    const it = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    try {
      const first: Buffer[] = [];
      let have = 0;
      while (have < ZSTD.length) {
        const r = await it.next();
        if (r.done) break;
        first.push(r.value);
        have += r.value.length;
      }
      const head = Buffer.concat(first);
      const kind = detectCompression(head);
      if (kind === 'none') {
        // No transform to pass through: the bytes go on as they came.
        yield head;
        for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
        return;
      }
      const dec = decompressorFor(kind);
      async function* source(): AsyncGenerator<Buffer> {
        yield head;
        for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
      }
      const fed = pipeline(source(), dec);
      fed.catch(() => undefined); // the same error reaches us through `dec`
      for await (const chunk of dec) yield chunk as Buffer;
      await fed;
    } finally {
      if (!input.readableEnded) input.destroy();
    }
  }
  return Readable.from(run(), { objectMode: false });
}
