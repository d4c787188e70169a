import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Demuxer, frame, STDERR, STDOUT } from './stdcopy.js';

test('frames split across chunks demultiplex in order', () => {
  const bytes = Buffer.concat([frame(STDOUT, Buffer.from('hello\n')), frame(STDERR, Buffer.from('oops')), frame(STDOUT, Buffer.alloc(0))]);
  const d = new Demuxer();
  const got: { stream: number; data: string }[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    for (const f of d.push(bytes.subarray(i, i + 3))) got.push({ stream: f.stream, data: f.data.toString() });
  }
  assert.deepEqual(got, [{ stream: 1, data: 'hello\n' }, { stream: 2, data: 'oops' }, { stream: 1, data: '' }]);
  assert.equal(d.pending, 0);
  assert.deepEqual([...frame(STDERR, Buffer.from('x')).subarray(0, 8)], [2, 0, 0, 0, 0, 0, 0, 1]);
});
