import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Demuxer, frame, FramePacker, STDERR, STDOUT } from './stdcopy.js';

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

test('FramePacker: frames packed into ~64 KiB buffers decode to the same payloads, UTF-8 and oversize included', () => {
  const p = new FramePacker(false);
  const lines = Array.from({ length: 20_000 }, (_, i) => (i % 7 === 0 ? `ünïcødé ${i} ✓\n` : `line ${i}\n`));
  lines.push('x'.repeat(200_000));
  const out: Buffer[] = [];
  lines.forEach((l, i) => { const full = p.add(i % 3 ? STDOUT : STDERR, l); if (full) out.push(full); });
  const last = p.take();
  if (last) out.push(last);
  assert.equal(p.take(), undefined);
  assert.ok(out.length > 2 && out.slice(0, -2).every((b) => b.length <= FramePacker.SIZE));
  const d = new Demuxer();
  const frames = out.flatMap((b) => d.push(b));
  assert.deepEqual(frames.map((f) => f.data.toString()), lines);
  assert.deepEqual(frames.map((f) => f.stream), lines.map((_, i) => (i % 3 ? STDOUT : STDERR)));
});

test('FramePacker: raw mode (a tty) concatenates payloads without headers', () => {
  const p = new FramePacker(true);
  assert.equal(p.add(STDOUT, 'a\n'), undefined);
  assert.equal(p.add(STDOUT, 'é\n'), undefined);
  assert.equal(p.take()!.toString(), 'a\né\n');
});
