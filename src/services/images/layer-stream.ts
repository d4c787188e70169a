/**
 * The stream a layer is unpacked from: compressed bytes (from the registry through a tee, or
 * from the content store) → counted for progress → decompressed (format sniffed) → verified
 * against the config's diff id → counted again for the image size. Destroying the end (the
 * unpacker gives up) destroys every stage back to the source, so a download feeding it through
 * a tee is never left blocked on a reader that is gone.
 */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { decompress } from '../../containerd/archive/index.js';
import { VerifyingStream } from '../../registry/client/index.js';

export class CountingStream extends Transform {
  count = 0;
  constructor(private readonly onCount?: (n: number) => void) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.count += chunk.length;
    this.onCount?.(this.count);
    cb(null, chunk);
  }
}

export interface LayerStream {
  stream: Readable;
  /** Uncompressed bytes seen so far (final once the stream ended). */
  uncompressed(): number;
}

/** Builds the pipeline above; `onCompressed` reports compressed bytes consumed. */
export function layerStream(source: Readable, diffId: string, onCompressed?: (n: number) => void): LayerStream {
  const compressed = new CountingStream(onCompressed);
  source.on('error', (e) => compressed.destroy(e));
  source.pipe(compressed);
  const plain = decompress(compressed);
  const verifier = new VerifyingStream(diffId);
  plain.on('error', (e) => verifier.destroy(e));
  plain.pipe(verifier);
  const counted = new CountingStream();
  verifier.on('error', (e) => counted.destroy(e));
  verifier.pipe(counted);
  counted.on('close', () => {
    if (counted.readableEnded) return;
    for (const s of [verifier, plain, compressed, source]) if (!s.destroyed) s.destroy();
  });
  return { stream: counted, uncompressed: () => counted.count };
}
