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

/**
 * Packs frames — or bare payloads for a tty's raw stream — into buffers of about 64 KiB with no
 * allocation per frame: a million log lines are a million frames, and a Buffer (and an 8-byte
 * header Buffer) for each cost more than reading the log.
 */
export class FramePacker {
  static readonly SIZE = 65536;
  private buf = Buffer.allocUnsafe(FramePacker.SIZE);
  private n = 0;

  constructor(private readonly raw: boolean) {}

  /** Appends a frame holding `text` as UTF-8; returns the buffer to send first when it was full. */
  add(stream: number, text: string): Buffer | undefined {
    const head = this.raw ? 0 : 8;
    const need = head + text.length * 3; // a UTF-16 unit never takes more than 3 UTF-8 bytes
    let full: Buffer | undefined;
    if (this.n + need > this.buf.length) {
      full = this.take();
      if (need > this.buf.length) this.buf = Buffer.allocUnsafe(need);
    }
    const at = this.n;
    const len = this.buf.write(text, at + head, 'utf8');
    if (!this.raw) {
      this.buf.writeUInt32BE(0, at);
      this.buf[at] = stream;
      this.buf.writeUInt32BE(len, at + 4);
    }
    this.n = at + head + len;
    return full;
  }

  /** The bytes packed so far (undefined when none); packing goes on in a fresh buffer. */
  take(): Buffer | undefined {
    if (this.n === 0) return undefined;
    const out = this.buf.subarray(0, this.n);
    this.buf = Buffer.allocUnsafe(FramePacker.SIZE);
    this.n = 0;
    return out;
  }
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
