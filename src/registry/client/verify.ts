/**
 * A pass-through stream that checks what flows through it against a descriptor: it fails as soon
 * as more bytes than `size` arrive, and at the end unless the count and digest match. Registries
 * and mirrors are untrusted; nothing downstream may act on content this stream has not vouched for.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { failedPrecondition } from '../../common/errors.js';
import { Digester, splitDigest, type Digest } from '../../containerd/content/digest.js';

export class VerifyingStream extends Transform {
  readonly #digest: Digest;
  readonly #size: number | undefined;
  readonly #digester: Digester;

  constructor(digest: Digest, size?: number) {
    super();
    this.#digest = digest;
    this.#size = size !== undefined && size >= 0 ? size : undefined;
    this.#digester = new Digester(splitDigest(digest).algorithm);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.#digester.update(chunk);
    if (this.#size !== undefined && this.#digester.size > this.#size) {
      cb(failedPrecondition(`content for ${this.#digest} is larger than its expected size ${this.#size}`));
      return;
    }
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    if (this.#size !== undefined && this.#digester.size !== this.#size) {
      cb(failedPrecondition(`content for ${this.#digest} is ${this.#digester.size} bytes, expected ${this.#size}`));
      return;
    }
    const actual = this.#digester.digest();
    if (actual !== this.#digest) {
      cb(failedPrecondition(`digest verification failed for ${this.#digest}: content hashes to ${actual}`));
      return;
    }
    cb();
  }
}
