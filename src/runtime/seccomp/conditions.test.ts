/**
 * Argument comparisons checked against a BigInt reference on values chosen to straddle the
 * 32-bit halves, on 64-bit and 32-bit ABIs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSeccomp } from './compile.js';
import { AUDIT_ARCH } from './arch.js';
import { judge } from './bpf-interpreter.test-helper.js';
import { toU64 } from './conditions.js';
import type { SeccompOperator } from '../../oci/runtime-spec.js';

const M64 = (1n << 64n) - 1n;
const EDGES: bigint[] = [
  0n, 1n, 5n, 0x7fffffffn, 0x80000000n, 0xfffffffen, 0xffffffffn, 0x100000000n, 0x100000001n,
  0x1fffffffen, 0x200000000n, 0x123456789abcdefn, 0x7fffffffffffffffn, 0x8000000000000000n, M64 - 1n, M64,
];

function reference(op: SeccompOperator, arg: bigint, v: bigint, v2: bigint): boolean {
  switch (op) {
    case 'SCMP_CMP_EQ': return arg === v;
    case 'SCMP_CMP_NE': return arg !== v;
    case 'SCMP_CMP_LT': return arg < v;
    case 'SCMP_CMP_LE': return arg <= v;
    case 'SCMP_CMP_GT': return arg > v;
    case 'SCMP_CMP_GE': return arg >= v;
    case 'SCMP_CMP_MASKED_EQ': return (arg & v) === v2;
  }
}

const OPS: SeccompOperator[] = [
  'SCMP_CMP_EQ', 'SCMP_CMP_NE', 'SCMP_CMP_LT', 'SCMP_CMP_LE', 'SCMP_CMP_GT', 'SCMP_CMP_GE', 'SCMP_CMP_MASKED_EQ',
];

/** A filter where arg 3 of getppid(110) is compared; match → ERRNO(7), else ALLOW. */
function filterFor(op: SeccompOperator, v: bigint, v2: bigint): Buffer {
  return compileSeccomp({
    defaultAction: 'SCMP_ACT_ALLOW',
    architectures: ['SCMP_ARCH_X86'],
    // value/valueTwo are numbers in the OCI types; bigints pass through toU64 unchanged.
    syscalls: [{ names: ['getppid'], action: 'SCMP_ACT_ERRNO', errnoRet: 7, args: [{ index: 3, op, value: v as unknown as number, valueTwo: v2 as unknown as number }] }],
  }, 'x64').filter;
}

test('64-bit comparisons match unsigned u64 semantics for every operator', () => {
  for (const op of OPS) {
    for (const v of EDGES) {
      const v2 = op === 'SCMP_CMP_MASKED_EQ' ? v & 0xff00000000ffn : 0n;
      const filter = filterFor(op, v, v2);
      for (const arg of EDGES) {
        const want = reference(op, arg, v, v2) ? 'ERRNO(7)' : 'ALLOW';
        assert.equal(judge(filter, { nr: 110, args: [0, 0, 0, arg] }), want, `${op} arg=${arg.toString(16)} v=${v.toString(16)}`);
      }
    }
  }
});

test('32-bit ABIs compare the low word only (the kernel zero-extends their arguments)', () => {
  for (const op of OPS) {
    for (const v of EDGES.filter((x) => x <= 0xffffffffn)) {
      const filter = filterFor(op, v, op === 'SCMP_CMP_MASKED_EQ' ? v & 0xff00ffn : 0n);
      for (const arg of EDGES.filter((x) => x <= 0xffffffffn)) {
        const want = reference(op, arg, v, op === 'SCMP_CMP_MASKED_EQ' ? v & 0xff00ffn : 0n) ? 'ERRNO(7)' : 'ALLOW';
        // getppid is 64 on i386.
        assert.equal(judge(filter, { nr: 64, arch: AUDIT_ARCH.I386, args: [0, 0, 0, arg] }), want, `${op} ${arg} ${v}`);
      }
    }
  }
});

test('toU64 takes negative numbers as two\'s complement and 2^64 (JSON-rounded u64 max) as all ones', () => {
  assert.deepEqual(toU64(-1, 't'), { hi: 0xffffffff, lo: 0xffffffff });
  assert.deepEqual(toU64(-2, 't'), { hi: 0xffffffff, lo: 0xfffffffe });
  assert.deepEqual(toU64(2 ** 32 + 3, 't'), { hi: 1, lo: 3 });
  assert.deepEqual(toU64(2 ** 53 - 1, 't'), { hi: 0x1fffff, lo: 0xffffffff });
  assert.deepEqual(toU64(JSON.parse('18446744073709551615') as number, 't'), { hi: 0xffffffff, lo: 0xffffffff });
  assert.throws(() => toU64(1.5, 't'), /not an integer/);
  assert.throws(() => toU64(2 ** 65, 't'), /64 bits/);
});

test('a negative value matches the sign-extended argument', () => {
  const filter = compileSeccomp({
    defaultAction: 'SCMP_ACT_ALLOW',
    syscalls: [{ names: ['getppid'], action: 'SCMP_ACT_ERRNO', args: [{ index: 0, op: 'SCMP_CMP_EQ', value: -100 }] }],
  }, 'x64').filter;
  assert.equal(judge(filter, { nr: 110, args: [-100] }), 'ERRNO(1)');
  assert.equal(judge(filter, { nr: 110, args: [0xffffff9c] }), 'ALLOW');
});
