import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AtomicWriter, writeFileAtomic } from './atomic-file.js';

function tmp(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-atomic-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('writeFileAtomic creates and replaces, leaving no temp file', async (t) => {
  const dir = tmp(t);
  const f = join(dir, 'a.json');
  await writeFileAtomic(f, 'one', 0o600);
  await writeFileAtomic(f, 'two', 0o600);
  assert.equal(readFileSync(f, 'utf8'), 'two');
  assert.deepEqual(readdirSync(dir), ['a.json']);
});

test('AtomicWriter: a burst of writes to one file lands in order, the newest last', async (t) => {
  const dir = tmp(t);
  const f = join(dir, 'state.json');
  const w = new AtomicWriter();
  const all = [];
  for (let i = 0; i < 50; i++) all.push(w.write(f, JSON.stringify({ i })));
  await Promise.all(all);
  assert.deepEqual(JSON.parse(readFileSync(f, 'utf8')), { i: 49 });
  assert.deepEqual(readdirSync(dir), ['state.json']);
  // And again once idle: the slot was released.
  await w.write(f, '{"i":50}');
  assert.equal(readFileSync(f, 'utf8'), '{"i":50}');
});

test('AtomicWriter: a failing write rejects its callers and does not block later ones', async (t) => {
  const dir = tmp(t);
  const w = new AtomicWriter();
  const bad = join(dir, 'missing-dir', 'x.json');
  const first = w.write(bad, 'a');
  const queued = w.write(bad, 'b');
  await assert.rejects(first, /ENOENT/);
  await assert.rejects(queued, /ENOENT/);
  await w.write(join(dir, 'ok.json'), 'fine');
  assert.equal(readFileSync(join(dir, 'ok.json'), 'utf8'), 'fine');
});
