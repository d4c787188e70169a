/** Tests of the BPF encoder and assembler: byte layout, label resolution, long-jump rewriting. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Assembler, BPF, BPF_MAXINSNS, decode, encode } from './bpf.js';
import { runFilter } from './bpf-interpreter.test-helper.js';
import { isEngineError } from '../../common/errors.js';

test('encode lays out struct sock_filter little-endian, 8 bytes each', () => {
  const buf = encode([{ code: 0x15, jt: 2, jf: 7, k: 0xc000003e }, { code: 0x06, jt: 0, jf: 0, k: 0x7fff0000 }]);
  assert.equal(buf.toString('hex'), '15000207' + '3e0000c0' + '06000000' + '0000ff7f');
  assert.deepEqual(decode(buf), [{ code: 0x15, jt: 2, jf: 7, k: 0xc000003e }, { code: 0x06, jt: 0, jf: 0, k: 0x7fff0000 }]);
});

test('labels resolve to forward offsets counted from the next instruction', () => {
  const asm = new Assembler();
  const yes = asm.label();
  const no = asm.label();
  asm.load(0);
  asm.jump(BPF.JEQ_K, 7, yes, no);
  asm.bind(no);
  asm.ret(1);
  asm.bind(yes);
  asm.ret(2);
  const prog = asm.assemble();
  assert.deepEqual(prog[1], { code: BPF.JEQ_K, jt: 1, jf: 0, k: 7 });
  const buf = encode(prog);
  assert.equal(runFilter(buf, { nr: 7 }).ret, 2);
  assert.equal(runFilter(buf, { nr: 8 }).ret, 1);
});

test('conditional jumps further than 255 instructions are rewritten through ja', () => {
  const asm = new Assembler();
  const far = asm.label();
  const near = asm.label();
  asm.load(0);
  asm.jump(BPF.JGE_K, 100, far, near);
  asm.bind(near);
  for (let i = 0; i < 600; i++) asm.ret(1000 + i); // padding that is never reached
  asm.bind(far);
  asm.ret(42);
  const prog = asm.assemble();
  for (const ins of prog) assert.ok(ins.jt <= 255 && ins.jf <= 255);
  assert.ok(prog.some((i) => i.code === BPF.JA && i.k > 255), 'expected a long ja');
  const buf = encode(prog);
  assert.equal(runFilter(buf, { nr: 100 }).ret, 42);
  assert.equal(runFilter(buf, { nr: 99 }).ret, 1000);
});

test('a rewrite that pushes other jumps out of range is repeated until all fit', () => {
  const asm = new Assembler();
  const targets = Array.from({ length: 40 }, () => asm.label());
  asm.load(0);
  for (let i = 0; i < 40; i++) {
    const next = asm.label();
    asm.jump(BPF.JEQ_K, i, targets[i]!, next);
    asm.bind(next);
  }
  asm.ret(0xdead);
  for (let i = 0; i < 40; i++) {
    for (let j = 0; j < 7; j++) asm.ret(0); // 7-instruction blocks: later targets drift past 255
    asm.bind(targets[i]!);
    asm.ret(i);
  }
  const buf = encode(asm.assemble());
  for (let i = 0; i < 40; i++) assert.equal(runFilter(buf, { nr: i }).ret, i);
  assert.equal(runFilter(buf, { nr: 41 }).ret, 0xdead);
});

test('programs longer than BPF_MAXINSNS are refused', () => {
  const asm = new Assembler();
  for (let i = 0; i <= BPF_MAXINSNS; i++) asm.ret(0);
  assert.throws(() => asm.assemble(), (e: unknown) => isEngineError(e) && e.kind === 'invalid-argument' && /4096/.test(e.message));
});

test('backward jumps and unbound labels are programming errors', () => {
  const asm = new Assembler();
  const l = asm.label();
  asm.bind(l);
  asm.ja(l);
  assert.throws(() => asm.assemble(), /backward/);
  const asm2 = new Assembler();
  asm2.ja(asm2.label());
  assert.throws(() => asm2.assemble(), /never bound/);
});
