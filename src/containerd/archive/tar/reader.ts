/**
 * A pull-based tar reader: `for await (const entry of readTar(stream))`. Each entry's body is
 * an async iterable of the entry's bytes; whatever the consumer leaves unread is skipped when it
 * asks for the next entry. Nothing is buffered beyond one input chunk, so a multi-gigabyte layer
 * streams with the input's backpressure. Malformed input raises invalid-argument.
 */
import { invalidArgument } from '../../../common/errors.js';
import { BLOCK, decodeHeader, isZeroBlock } from './header.js';
import type { TarHeader } from './header.js';

export interface TarEntry {
  header: TarHeader;
  body: AsyncIterable<Buffer>;
}

/** Buffers an async byte source and hands out exact-length reads. */
class ByteSource {
  private readonly it: AsyncIterator<unknown>;
  private buf: Buffer = Buffer.alloc(0);
  private done = false;
  /** Total bytes consumed so far. */
  consumed = 0;

  constructor(input: AsyncIterable<unknown>) {
    this.it = input[Symbol.asyncIterator]();
  }

  private async fill(): Promise<boolean> {
    if (this.done) return false;
    const r = await this.it.next();
    if (r.done) { this.done = true; return false; }
    // Buffers are taken as they are (streams never reuse a chunk they handed out): copying each
    // chunk would double the allocations, and with them the collector's work, of every layer.
    const v = r.value;
    const chunk = typeof v === 'string' ? Buffer.from(v) : Buffer.isBuffer(v) ? v : Buffer.from((v as Uint8Array).buffer, (v as Uint8Array).byteOffset, (v as Uint8Array).byteLength);
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    return true;
  }

  /** Exactly n bytes, or null at a clean end of input (nothing buffered). */
  async read(n: number): Promise<Buffer | null> {
    while (this.buf.length < n) {
      if (!(await this.fill())) {
        if (this.buf.length === 0) return null;
        throw invalidArgument('unexpected end of tar archive');
      }
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    this.consumed += n;
    return out;
  }

  /** Up to `max` bytes as they arrive (at least one), for streaming bodies. */
  async readSome(max: number): Promise<Buffer> {
    if (this.buf.length === 0 && !(await this.fill())) throw invalidArgument('unexpected end of tar archive');
    const n = Math.min(max, this.buf.length);
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    this.consumed += n;
    return out;
  }

  /** Reads and drops the rest of the input (the zero padding after the end-of-archive marker). */
  async drain(): Promise<void> {
    this.buf = Buffer.alloc(0);
    while (await this.fill()) this.buf = Buffer.alloc(0);
  }

  async close(): Promise<void> {
    if (!this.done) await this.it.return?.();
  }
}

/** Parses PAX records ("<len> <key>=<value>\n") byte-wise so binary values stay intact. */
export function parsePax(data: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let off = 0;
  while (off < data.length) {
    if (data[off] === 0) break;
    const sp = data.indexOf(0x20, off);
    const len = sp === -1 ? NaN : parseInt(data.subarray(off, sp).toString('latin1'), 10);
    if (!Number.isInteger(len) || len <= 0 || off + len > data.length || data[off + len - 1] !== 0x0a) {
      throw invalidArgument('invalid PAX record in tar archive');
    }
    const rec = data.subarray(sp + 1, off + len - 1);
    const eq = rec.indexOf(0x3d);
    if (eq <= 0) throw invalidArgument('invalid PAX record in tar archive');
    out.set(rec.subarray(0, eq).toString('utf8'), Buffer.from(rec.subarray(eq + 1)));
    off += len;
  }
  return out;
}

function applyPax(h: TarHeader, pax: Map<string, Buffer>): void {
  for (const [key, value] of pax) {
    const s = (): string => value.toString('utf8');
    const n = (): number => {
      const v = Number(s());
      if (!Number.isFinite(v) || v < 0) throw invalidArgument(`invalid PAX ${key} value "${s()}"`);
      return v;
    };
    if (key === 'path') h.name = s();
    else if (key === 'linkpath') h.linkname = s();
    else if (key === 'size') h.size = n();
    else if (key === 'uid') h.uid = n();
    else if (key === 'gid') h.gid = n();
    else if (key === 'mtime') h.mtime = n();
    else if (key === 'uname') h.uname = s();
    else if (key === 'gname') h.gname = s();
    else if (key.startsWith('SCHILY.xattr.')) h.xattrs.set(key.slice('SCHILY.xattr.'.length), value);
    else if (key.startsWith('GNU.sparse.')) throw invalidArgument('sparse tar entries are not supported');
  }
}

const pad = (size: number): number => (BLOCK - (size % BLOCK)) % BLOCK;

/** Reads a tar stream entry by entry. Breaking out of the loop releases the input. */
export async function* readTar(input: AsyncIterable<unknown>): AsyncGenerator<TarEntry> {
  const src = new ByteSource(input);
  let globalPax = new Map<string, Buffer>();
  let pax: Map<string, Buffer> | undefined;
  let longName: string | undefined;
  let longLink: string | undefined;
  try {
    for (;;) {
      const block = await src.read(BLOCK);
      if (block === null || isZeroBlock(block)) {
        // End-of-archive marker (or a bare EOF). Consume the trailing padding so that a digest
        // computed upstream of us sees every byte of the blob.
        await src.drain();
        break;
      }
      const h = decodeHeader(block);
      if (h.type === 'pax-header' || h.type === 'pax-global-header' || h.type === 'gnu-long-path' || h.type === 'gnu-long-link-path') {
        if (h.size > 1 << 20) throw invalidArgument(`tar ${h.type} record too large`);
        const data = (await src.read(h.size + pad(h.size))) ?? Buffer.alloc(0);
        const payload = data.subarray(0, h.size);
        if (h.type === 'pax-header') pax = parsePax(payload);
        else if (h.type === 'pax-global-header') globalPax = new Map([...globalPax, ...parsePax(payload)]);
        else if (h.type === 'gnu-long-path') longName = payload.toString('utf8').replace(/\0+$/, '');
        else longLink = payload.toString('utf8').replace(/\0+$/, '');
        continue;
      }
      if (longName !== undefined) h.name = longName;
      if (longLink !== undefined) h.linkname = longLink;
      applyPax(h, globalPax);
      if (pax) applyPax(h, pax);
      pax = longName = longLink = undefined;
      // Only regular files carry data; a size on anything else is padding we skip.
      const bodySize = h.size;
      if (h.type !== 'file') h.size = 0;
      let left = bodySize;
      const body = (async function* () {
        while (left > 0 && h.type === 'file') {
          const chunk = await src.readSome(Math.min(left, 1 << 20));
          left -= chunk.length;
          yield chunk;
        }
      })();
      yield { header: h, body };
      while (left > 0) left -= (await src.readSome(Math.min(left, 1 << 20))).length;
      if (pad(bodySize)) await src.read(pad(bodySize));
    }
  } finally {
    await src.close();
  }
}
