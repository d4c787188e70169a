/**
 * Docker's multiplexed stream framing (stdcopy), used by attach, logs and exec when there is no
 * tty: each frame is an 8-byte header — stream (0 stdin, 1 stdout, 2 stderr, 3 systemerr), three
 * zero bytes, big-endian u32 length — then the payload.
 */
export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const SYSTEMERR = 3;

/** The 8-byte header of a frame carrying `length` bytes of `stream`. */
export function frameHeader(stream: number, length: number): Buffer {
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(length, 4);
  return header;
}

export function frame(stream: number, payload: Buffer): Buffer {
  return Buffer.concat([frameHeader(stream, payload.length), payload]);
}

/** Incremental demultiplexer: feed chunks, get whole frames. */
export class Demuxer {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): { stream: number; data: Buffer }[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: { stream: number; data: Buffer }[] = [];
    while (this.buf.length >= 8) {
      const len = this.buf.readUInt32BE(4);
      if (this.buf.length < 8 + len) break;
      out.push({ stream: this.buf[0]!, data: this.buf.subarray(8, 8 + len) });
      this.buf = this.buf.subarray(8 + len);
    }
    return out;
  }

  get pending(): number {
    return this.buf.length;
  }
}
