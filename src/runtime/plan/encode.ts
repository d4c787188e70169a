/** Binary encoding of a plan (see native/common/plan.h for the wire format). */
import type { PlanArg, PlanOp } from './ops.js';

const MAGIC = Buffer.from('SKP1');

function argBytes(a: PlanArg): Buffer {
  if (a instanceof Uint8Array) return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  return Buffer.from(typeof a === 'string' ? a : a.toString(10));
}

export function encodePlan(ops: readonly PlanOp[]): Buffer {
  const parts: Buffer[] = [MAGIC];
  for (const { op, args } of ops) {
    if (args.length > 0xffff) throw new RangeError(`op ${op}: too many args`);
    const head = Buffer.alloc(4);
    head.writeUInt16LE(op, 0);
    head.writeUInt16LE(args.length, 2);
    parts.push(head);
    for (const a of args) {
      const b = argBytes(a);
      const len = Buffer.alloc(4);
      len.writeUInt32LE(b.length, 0);
      parts.push(len, b);
    }
  }
  return Buffer.concat(parts);
}

/** Decodes a plan back into ops (arguments as strings, except raw bytes of SECCOMP) — for tests and `--debug`. */
export function decodePlan(buf: Buffer): { op: number; args: string[] }[] {
  if (buf.subarray(0, 4).toString() !== 'SKP1') throw new Error('not a skiff plan');
  const out: { op: number; args: string[] }[] = [];
  let off = 4;
  while (off < buf.length) {
    const op = buf.readUInt16LE(off);
    const n = buf.readUInt16LE(off + 2);
    off += 4;
    const args: string[] = [];
    for (let i = 0; i < n; i++) {
      const len = buf.readUInt32LE(off);
      off += 4;
      args.push(buf.subarray(off, off + len).toString('latin1'));
      off += len;
    }
    out.push({ op, args });
  }
  return out;
}
