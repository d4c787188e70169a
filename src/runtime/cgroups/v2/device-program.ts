/**
 * Compiles OCI device rules into an eBPF BPF_PROG_TYPE_CGROUP_DEVICE program, cgroup v2's
 * replacement for v1's devices.allow/deny files. The kernel runs it on every open/mknod of a
 * device node with a `struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; }`
 * (access_type = access << 16 | type) and allows the access iff it returns 1.
 *
 * Semantics follow v1's file interface, which the OCI rules were written for: an "a" rule
 * resets the whole policy to allow-all or deny-all (so rules before the last "a" rule are
 * dead), a new cgroup starts as allow-all, and later rules override earlier ones. The program
 * therefore tests rules from last to first and returns at the first match. An allow rule
 * matches when it grants every requested access bit; a deny rule when it forbids any of them.
 */
import type { DeviceRule } from '../device-rules.js';

const DEV_TYPE = { b: 1, c: 2 } as const;
const ACCESS_BITS: Record<string, number> = { m: 1, r: 2, w: 4 };

/** One eBPF instruction: opcode, dst/src registers, 16-bit offset, 32-bit immediate. */
export interface BpfInsn { code: number; dst: number; src: number; off: number; imm: number }

const OP = {
  LDX_MEM_W: 0x61, // dst = *(u32 *)(src + off)
  ALU32_AND_K: 0x54,
  ALU32_RSH_K: 0x74,
  MOV32_X: 0xbc,
  MOV64_K: 0xb7,
  JNE_K: 0x55,
  JEQ_K: 0x15,
  JSET_K: 0x45, // if (dst & imm) goto +off
  EXIT: 0x95,
} as const;

const insn = (code: number, dst = 0, src = 0, off = 0, imm = 0): BpfInsn => ({ code, dst, src, off, imm });

function accessMask(access: string): number {
  return [...access].reduce((m, c) => m | (ACCESS_BITS[c] ?? 0), 0);
}

/** The checks of one rule; `skip` marks jumps to the next rule, patched once the block is whole. */
function ruleBlock(rule: DeviceRule): BpfInsn[] {
  const block: { i: BpfInsn; skip: boolean }[] = [];
  if (rule.type !== 'a') block.push({ i: insn(OP.JNE_K, 2, 0, 0, DEV_TYPE[rule.type]), skip: true });
  const mask = accessMask(rule.access);
  if (mask !== 7) {
    if (rule.allow) {
      // Requested bits outside the rule's: not granted by this rule.
      block.push({ i: insn(OP.JSET_K, 3, 0, 0, ~mask & 7), skip: true });
    } else {
      block.push({ i: insn(OP.MOV32_X, 1, 3), skip: false });
      block.push({ i: insn(OP.ALU32_AND_K, 1, 0, 0, mask), skip: false });
      block.push({ i: insn(OP.JEQ_K, 1, 0, 0, 0), skip: true });
    }
  }
  if (rule.major >= 0) block.push({ i: insn(OP.JNE_K, 4, 0, 0, rule.major), skip: true });
  if (rule.minor >= 0) block.push({ i: insn(OP.JNE_K, 5, 0, 0, rule.minor), skip: true });
  block.push({ i: insn(OP.MOV64_K, 0, 0, 0, rule.allow ? 1 : 0), skip: false });
  block.push({ i: insn(OP.EXIT), skip: false });
  return block.map(({ i, skip }, pos) => (skip ? { ...i, off: block.length - pos - 1 } : i));
}

/** The rules still in force: those after the last "a" rule, and the default it sets. */
export function effectiveRules(rules: DeviceRule[]): { defaultAllow: boolean; rules: DeviceRule[] } {
  let last = -1;
  rules.forEach((r, i) => { if (r.type === 'a') last = i; });
  return { defaultAllow: last < 0 ? true : rules[last]!.allow, rules: rules.slice(last + 1) };
}

export function compileDeviceProgram(rules: DeviceRule[]): BpfInsn[] {
  const eff = effectiveRules(rules);
  const prog: BpfInsn[] = [
    insn(OP.LDX_MEM_W, 2, 1, 0), // r2 = access_type
    insn(OP.ALU32_AND_K, 2, 0, 0, 0xffff), // r2 = device type
    insn(OP.LDX_MEM_W, 3, 1, 0),
    insn(OP.ALU32_RSH_K, 3, 0, 0, 16), // r3 = requested access
    insn(OP.LDX_MEM_W, 4, 1, 4), // r4 = major
    insn(OP.LDX_MEM_W, 5, 1, 8), // r5 = minor
  ];
  for (const rule of [...eff.rules].reverse()) prog.push(...ruleBlock(rule));
  prog.push(insn(OP.MOV64_K, 0, 0, 0, eff.defaultAllow ? 1 : 0), insn(OP.EXIT));
  return prog;
}

/** struct bpf_insn bytes (little-endian hosts: dst in the low nibble). */
export function encodeProgram(prog: BpfInsn[]): Buffer {
  const buf = Buffer.alloc(prog.length * 8);
  prog.forEach((p, i) => {
    buf.writeUInt8(p.code, i * 8);
    buf.writeUInt8((p.src << 4) | p.dst, i * 8 + 1);
    buf.writeInt16LE(p.off, i * 8 + 2);
    buf.writeInt32LE(p.imm, i * 8 + 4);
  });
  return buf;
}

/** Runs the program on one access, as the kernel would: for unit tests of the rule semantics. */
export function runDeviceProgram(prog: BpfInsn[], type: 'b' | 'c', major: number, minor: number, access: string): boolean {
  const ctx = [((accessMask(access) << 16) | DEV_TYPE[type]) >>> 0, major, minor];
  const r = new Array<number>(11).fill(0);
  for (let pc = 0; pc < prog.length; pc++) {
    const { code, dst, src, off, imm } = prog[pc]!;
    switch (code) {
      case OP.LDX_MEM_W: r[dst] = ctx[off / 4]!; break;
      case OP.ALU32_AND_K: r[dst] = (r[dst]! & imm) >>> 0; break;
      case OP.ALU32_RSH_K: r[dst] = r[dst]! >>> imm; break;
      case OP.MOV32_X: r[dst] = r[src]!; break;
      case OP.MOV64_K: r[dst] = imm; break;
      case OP.JNE_K: if (r[dst] !== imm) pc += off; break;
      case OP.JEQ_K: if (r[dst] === imm) pc += off; break;
      case OP.JSET_K: if ((r[dst]! & imm) !== 0) pc += off; break;
      case OP.EXIT: return r[0] === 1;
      default: throw new Error(`unknown opcode ${code}`);
    }
  }
  throw new Error('program fell off its end');
}
