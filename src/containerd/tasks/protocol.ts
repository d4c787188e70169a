/**
 * The skiff-shim wire protocol (mirrors native/shim/shim.h). A frame is `u32 len, u8 type,
 * payload` (little-endian, len counts type + payload); a payload is a list of fields
 * `u32 len, bytes`, integers as decimal strings — the same convention as the plan format, so
 * the C side needs no parser beyond a length walk.
 */

export const PROTO_VERSION = 1;

export const Msg = {
  VERSION: 1,
  STATE: 2,
  START: 3,
  WAIT: 4,
  KILL: 5,
  ATTACH: 6,
  RESIZE: 7,
  CLOSE_STDIN: 8,
  EXEC: 9,
  DELETE_EXEC: 10,
  SHUTDOWN: 11,
  EXEC_STATE: 12,
  OK: 64,
  ERROR: 65,
  STDOUT: 80,
  STDERR: 81,
  EXIT: 82,
  STDIN: 96,
} as const;

/** Flags of ATTACH and EXEC. */
export const Flag = {
  ATTACH_STDIN: 1,
  ATTACH_STDOUT: 2,
  ATTACH_STDERR: 4,
  EXEC_TERMINAL: 8,
  EXEC_STDIN: 16,
} as const;

/** Largest frame the shim accepts from a client; stdin chunks stay well below it. */
export const MAX_CLIENT_FRAME = 64 * 1024 + 256;
export const STDIN_CHUNK = 32 * 1024;
/** Largest frame we accept from the shim (its per-client output bound). */
export const MAX_SHIM_FRAME = 512 * 1024;

export type Field = string | number | bigint | Uint8Array;

export interface Frame {
  type: number;
  fields: Buffer[];
}

function fieldBytes(f: Field): Buffer {
  if (f instanceof Uint8Array) return Buffer.from(f.buffer, f.byteOffset, f.byteLength);
  return Buffer.from(typeof f === 'string' ? f : f.toString(10));
}

export function encodeFrame(type: number, fields: readonly Field[] = []): Buffer {
  const bodies = fields.map(fieldBytes);
  const len = 1 + bodies.reduce((n, b) => n + 4 + b.length, 0);
  const out = Buffer.allocUnsafe(4 + len);
  out.writeUInt32LE(len, 0);
  out.writeUInt8(type, 4);
  let off = 5;
  for (const b of bodies) {
    out.writeUInt32LE(b.length, off);
    b.copy(out, off + 4);
    off += 4 + b.length;
  }
  return out;
}

export function decodeFields(payload: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let off = 0;
  while (off < payload.length) {
    if (payload.length - off < 4) throw new Error('shim protocol: truncated field header');
    const n = payload.readUInt32LE(off);
    if (n > payload.length - off - 4) throw new Error('shim protocol: field longer than its frame');
    out.push(payload.subarray(off + 4, off + 4 + n));
    off += 4 + n;
  }
  return out;
}

/** Splits a byte stream into frames; keeps a partial frame until the rest arrives. */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);
  constructor(private readonly max = MAX_SHIM_FRAME) {}

  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const frames: Frame[] = [];
    while (this.buf.length >= 5) {
      const len = this.buf.readUInt32LE(0);
      if (len < 1 || len > this.max) throw new Error(`shim protocol: bad frame length ${len}`);
      if (this.buf.length < 4 + len) break;
      frames.push({ type: this.buf[4]!, fields: decodeFields(this.buf.subarray(5, 4 + len)) });
      this.buf = this.buf.subarray(4 + len);
    }
    return frames;
  }
}

export function fieldStr(fields: readonly Buffer[], i: number): string {
  const f = fields[i];
  if (!f) throw new Error(`shim protocol: missing field ${i}`);
  return f.toString('utf8');
}

export function fieldInt(fields: readonly Buffer[], i: number): number {
  const s = fieldStr(fields, i);
  if (!/^-?\d+$/.test(s)) throw new Error(`shim protocol: field ${i} is not a number: ${s}`);
  return Number(s);
}

export function fieldBigInt(fields: readonly Buffer[], i: number): bigint {
  const s = fieldStr(fields, i);
  if (!/^-?\d+$/.test(s)) throw new Error(`shim protocol: field ${i} is not a number: ${s}`);
  return BigInt(s);
}
