import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Op } from './ops.js';
import { encodePlan, decodePlan } from './encode.js';

test('op codes equal native/common/plan.h', () => {
  const header = readFileSync('native/common/plan.h', 'utf8');
  const native = new Map<string, number>();
  for (const m of header.matchAll(/^\s*OP_([A-Z_]+)\s*=\s*(\d+),/gm)) native.set(m[1]!, Number(m[2]));
  assert.ok(native.size > 30);
  assert.deepEqual(new Map(Object.entries(Op)), native);
});

test('plans round-trip through the wire format', () => {
  const buf = encodePlan([
    { op: Op.CLONE, args: [0x20000000] },
    { op: Op.CHILD, args: [] },
    { op: Op.ARGS, args: ['/bin/echo', 'héllo', ''] },
    { op: Op.CAPS, args: [1n << 40n, 0n, 0n, 0n] },
  ]);
  assert.equal(buf.subarray(0, 4).toString(), 'SKP1');
  const ops = decodePlan(buf);
  assert.deepEqual(ops.map((o) => o.op), [Op.CLONE, Op.CHILD, Op.ARGS, Op.CAPS]);
  assert.deepEqual(ops[0]!.args, [String(0x20000000)]);
  assert.equal(Buffer.from(ops[2]!.args[1]!, 'latin1').toString('utf8'), 'héllo');
  assert.equal(ops[2]!.args[2], '');
  assert.equal(ops[3]!.args[0], (1n << 40n).toString());
});
