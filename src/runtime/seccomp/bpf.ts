/**
 * Classic BPF as seccomp uses it: instruction encoding and a tiny assembler with symbolic labels.
 *
 * A `struct sock_filter` is {u16 code; u8 jt; u8 jf; u32 k}, 8 bytes, host (little) endian.
 * Jumps only go forward. Conditional jumps carry 8-bit offsets, so a target further than 255
 * instructions away is unreachable from them; `ja` carries a 32-bit offset. The assembler lets
 * code generators use labels freely and rewrites any conditional jump that ends up too far into
 * `jcc 0,1; ja T; ja F`, repeating until every offset fits — correctness does not depend on the
 * generator's layout, which only decides how small the program is.
 */
import { invalidArgument } from '../../common/errors.js';

export const BPF = {
  LD_W_ABS: 0x20, // BPF_LD | BPF_W | BPF_ABS: A = u32 at seccomp_data offset k
  ALU_AND_K: 0x54, // BPF_ALU | BPF_AND | BPF_K
  JA: 0x05, // BPF_JMP | BPF_JA
  JEQ_K: 0x15, // BPF_JMP | BPF_JEQ | BPF_K
  JGT_K: 0x25,
  JGE_K: 0x35,
  JSET_K: 0x45,
  RET_K: 0x06, // BPF_RET | BPF_K
} as const;

/** Kernel limit on program length (BPF_MAXINSNS). */
export const BPF_MAXINSNS = 4096;

/** Offsets into `struct seccomp_data`. */
export const SECCOMP_DATA = {
  nr: 0,
  arch: 4,
  /** args[i] is a u64; its low word sits at the lower address on little-endian hosts. */
  argLow: (i: number): number => 16 + 8 * i,
  argHigh: (i: number): number => 16 + 8 * i + 4,
} as const;

export interface Instruction { code: number; jt: number; jf: number; k: number }

export interface Label { readonly id: number }

type Item =
  | { t: 'stmt'; code: number; k: number }
  | { t: 'jcc'; code: number; k: number; jt: Label; jf: Label }
  | { t: 'ja'; target: Label }
  | { t: 'label'; label: Label };

/** Collects instructions with symbolic jump targets, then lays them out. */
export class Assembler {
  private items: Item[] = [];
  private nextId = 0;

  label(): Label {
    return { id: this.nextId++ };
  }

  /** Places a label at the current position. */
  bind(label: Label): void {
    this.items.push({ t: 'label', label });
  }

  load(offset: number): void {
    this.items.push({ t: 'stmt', code: BPF.LD_W_ABS, k: offset });
  }

  and(k: number): void {
    this.items.push({ t: 'stmt', code: BPF.ALU_AND_K, k: k >>> 0 });
  }

  ret(k: number): void {
    this.items.push({ t: 'stmt', code: BPF.RET_K, k: k >>> 0 });
  }

  ja(target: Label): void {
    this.items.push({ t: 'ja', target });
  }

  /** Conditional jump on A; `code` is one of JEQ_K, JGT_K, JGE_K, JSET_K. */
  jump(code: number, k: number, jt: Label, jf: Label): void {
    this.items.push({ t: 'jcc', code, k: k >>> 0, jt, jf });
  }

  /** Resolves labels and returns the instructions; throws past BPF_MAXINSNS. */
  assemble(): Instruction[] {
    let items = this.items;
    for (;;) {
      const pos = positions(items);
      const rewritten: Item[] = [];
      let changed = false;
      let index = 0;
      for (const it of items) {
        if (it.t === 'jcc') {
          const far = offset(pos, it.jt, index) > 255 || offset(pos, it.jf, index) > 255;
          index++;
          if (far) {
            // jcc 0,1 → `ja jt` when true, `ja jf` when false.
            const t: Label = this.label();
            const f: Label = this.label();
            rewritten.push({ ...it, jt: t, jf: f }, { t: 'label', label: t }, { t: 'ja', target: it.jt },
              { t: 'label', label: f }, { t: 'ja', target: it.jf });
            changed = true;
            continue;
          }
        }
        rewritten.push(it);
        if (it.t === 'stmt' || it.t === 'ja') index++;
      }
      items = rewritten;
      if (!changed) break;
    }
    const pos = positions(items);
    const out: Instruction[] = [];
    for (const it of items) {
      const at = out.length;
      if (it.t === 'label') continue;
      if (it.t === 'stmt') out.push({ code: it.code, jt: 0, jf: 0, k: it.k });
      else if (it.t === 'ja') out.push({ code: BPF.JA, jt: 0, jf: 0, k: offset(pos, it.target, at) });
      else out.push({ code: it.code, jt: offset(pos, it.jt, at), jf: offset(pos, it.jf, at), k: it.k });
    }
    if (out.length > BPF_MAXINSNS) {
      throw invalidArgument(`seccomp: filter needs ${out.length} instructions, more than the kernel limit of ${BPF_MAXINSNS}`);
    }
    return out;
  }
}

function positions(items: Item[]): Map<number, number> {
  const pos = new Map<number, number>();
  let n = 0;
  for (const it of items) {
    if (it.t === 'label') pos.set(it.label.id, n);
    else n++;
  }
  return pos;
}

/** Jump offset from the instruction at `from` to `label` (BPF counts from the next one). */
function offset(pos: Map<number, number>, label: Label, from: number): number {
  const to = pos.get(label.id);
  if (to === undefined) throw new Error(`bpf: label ${label.id} never bound`);
  const off = to - from - 1;
  if (off < 0) throw new Error(`bpf: backward jump to label ${label.id}`);
  return off;
}

/** Encodes instructions as the kernel's `struct sock_filter` array (little-endian). */
export function encode(program: readonly Instruction[]): Buffer {
  const buf = Buffer.alloc(program.length * 8);
  program.forEach((ins, i) => {
    buf.writeUInt16LE(ins.code, i * 8);
    buf.writeUInt8(ins.jt, i * 8 + 2);
    buf.writeUInt8(ins.jf, i * 8 + 3);
    buf.writeUInt32LE(ins.k >>> 0, i * 8 + 4);
  });
  return buf;
}

/** Inverse of encode, for tests and debugging. */
export function decode(buf: Buffer): Instruction[] {
  if (buf.length % 8 !== 0) throw new Error('bpf: program length is not a multiple of 8');
  const out: Instruction[] = [];
  for (let o = 0; o < buf.length; o += 8) {
    out.push({ code: buf.readUInt16LE(o), jt: buf.readUInt8(o + 2), jf: buf.readUInt8(o + 3), k: buf.readUInt32LE(o + 4) });
  }
  return out;
}
