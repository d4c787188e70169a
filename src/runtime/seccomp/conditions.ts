/**
 * Argument conditions of seccomp rules, compiled to BPF. Syscall arguments are u64 in
 * `seccomp_data`, but classic BPF only has a 32-bit accumulator, so a 64-bit comparison is done
 * on the high word first and, when that does not decide it, on the low word — as libseccomp does.
 * On 32-bit ABIs the kernel zero-extends arguments; only the low word is compared there.
 * Every comparison is unsigned, like the kernel's and libseccomp's.
 */
import { invalidArgument } from '../../common/errors.js';
import { BPF, SECCOMP_DATA } from './bpf.js';
import type { Assembler, Label } from './bpf.js';

export type Operator = 'NE' | 'LT' | 'LE' | 'EQ' | 'GE' | 'GT' | 'MASKED_EQ';

export interface Condition {
  index: number;
  op: Operator;
  /** The compared value (the mask for MASKED_EQ), as u64 halves. */
  hi: number;
  lo: number;
  /** MASKED_EQ only: the expected value of `arg & mask`. */
  hi2: number;
  lo2: number;
}

const OPERATORS: Readonly<Record<string, Operator>> = {
  SCMP_CMP_NE: 'NE', SCMP_CMP_LT: 'LT', SCMP_CMP_LE: 'LE', SCMP_CMP_EQ: 'EQ',
  SCMP_CMP_GE: 'GE', SCMP_CMP_GT: 'GT', SCMP_CMP_MASKED_EQ: 'MASKED_EQ',
};

const TWO_64 = 2 ** 64;

/**
 * Splits a number into u64 halves. Negative values are two's complement. JSON.parse rounds
 * every u64 above 2^64-1025 up to exactly 2^64; that can only have meant an all-ones value.
 */
export function toU64(v: number | bigint, where: string): { hi: number; lo: number } {
  let b: bigint;
  if (typeof v === 'bigint') b = v;
  else if (Number.isInteger(v) && v === TWO_64) b = (1n << 64n) - 1n;
  else if (Number.isInteger(v)) b = BigInt(v);
  else throw invalidArgument(`seccomp: argument value ${String(v)} is not an integer (${where})`);
  if (b >= 1n << 64n || b < -(1n << 63n)) {
    throw invalidArgument(`seccomp: argument value ${String(v)} does not fit in 64 bits (${where})`);
  }
  const u = BigInt.asUintN(64, b);
  return { hi: Number(u >> 32n), lo: Number(u & 0xffffffffn) };
}

/** Validates one OCI `args` entry. */
export function parseCondition(arg: { index: number; value: number; valueTwo?: number; op: string }, where: string): Condition {
  if (!Number.isInteger(arg.index) || arg.index < 0 || arg.index > 5) {
    throw invalidArgument(`seccomp: argument index ${String(arg.index)} out of range 0-5 (${where})`);
  }
  const op = Object.hasOwn(OPERATORS, arg.op) ? OPERATORS[arg.op] : undefined;
  if (op === undefined) throw invalidArgument(`seccomp: unknown operator ${JSON.stringify(arg.op)} (${where})`);
  const a = toU64(arg.value ?? 0, where);
  const b = toU64(arg.valueTwo ?? 0, where);
  return { index: arg.index, op, hi: a.hi, lo: a.lo, hi2: b.hi, lo2: b.lo };
}

/**
 * Emits code that falls through when `c` holds and jumps to `fail` when it does not.
 * Clobbers A.
 */
export function emitCondition(asm: Assembler, c: Condition, bits: 32 | 64, fail: Label): void {
  const ok = asm.label();
  if (bits === 64) emitHigh(asm, c, ok, fail);
  emitLow(asm, c, ok, fail);
  asm.bind(ok);
}

/** High word: jumps to ok/fail when it decides, falls through when the low word must decide. */
function emitHigh(asm: Assembler, c: Condition, ok: Label, fail: Label): void {
  const next = asm.label();
  asm.load(SECCOMP_DATA.argHigh(c.index));
  switch (c.op) {
    case 'EQ':
      asm.jump(BPF.JEQ_K, c.hi, next, fail);
      break;
    case 'NE':
      asm.jump(BPF.JEQ_K, c.hi, next, ok);
      break;
    case 'GT':
    case 'GE': {
      const eq = asm.label();
      asm.jump(BPF.JGT_K, c.hi, ok, eq);
      asm.bind(eq);
      asm.jump(BPF.JEQ_K, c.hi, next, fail);
      break;
    }
    case 'LT':
    case 'LE': {
      const eq = asm.label();
      asm.jump(BPF.JGT_K, c.hi, fail, eq);
      asm.bind(eq);
      asm.jump(BPF.JEQ_K, c.hi, next, ok);
      break;
    }
    case 'MASKED_EQ':
      asm.and(c.hi);
      asm.jump(BPF.JEQ_K, c.hi2, next, fail);
      break;
  }
  asm.bind(next);
}

/** Low word: always decides. */
function emitLow(asm: Assembler, c: Condition, ok: Label, fail: Label): void {
  asm.load(SECCOMP_DATA.argLow(c.index));
  switch (c.op) {
    case 'EQ': asm.jump(BPF.JEQ_K, c.lo, ok, fail); break;
    case 'NE': asm.jump(BPF.JEQ_K, c.lo, fail, ok); break;
    case 'GT': asm.jump(BPF.JGT_K, c.lo, ok, fail); break;
    case 'GE': asm.jump(BPF.JGE_K, c.lo, ok, fail); break;
    case 'LT': asm.jump(BPF.JGE_K, c.lo, fail, ok); break;
    case 'LE': asm.jump(BPF.JGT_K, c.lo, fail, ok); break;
    case 'MASKED_EQ':
      asm.and(c.lo);
      asm.jump(BPF.JEQ_K, c.lo2, ok, fail);
      break;
  }
}
