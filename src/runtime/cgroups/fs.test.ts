import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineError } from '../../common/errors.js';
import { applyWrites, removeCgroupTree } from './fs.js';

test('applyWrites writes in order, skips absent optional files, names missing controllers', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cg-fs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'pids.max'), '');
  await applyWrites([{ file: 'pids.max', value: '8' }, { file: 'memory.swap.max', value: 'max', optional: true }], () => dir);
  assert.equal(readFileSync(join(dir, 'pids.max'), 'utf8'), '8');
  assert.equal(existsSync(join(dir, 'memory.swap.max')), false, 'never created');
  await assert.rejects(applyWrites([{ file: 'memory.max', value: '1' }], () => dir), (e: unknown) =>
    e instanceof EngineError && e.kind === 'failed-precondition' && e.message.includes('memory.max') && e.message.includes('"1"'));
  await assert.rejects(applyWrites([{ file: 'memory.max', value: '1' }], () => undefined), (e: unknown) =>
    e instanceof EngineError && e.kind === 'failed-precondition' && e.message.includes('not mounted'));
});

test('removeCgroupTree is idempotent and removes children first', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cg-rm-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'a', 'b'), { recursive: true });
  await removeCgroupTree(join(dir, 'a'));
  assert.equal(existsSync(join(dir, 'a')), false);
  await removeCgroupTree(join(dir, 'a'));
});
