import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineError } from '../../common/errors.js';
import { digestOf } from './digest.js';
import { LocalStore } from './local.js';
import { contentStoreSuite } from './testsuite.js';

contentStoreSuite('local', async () => {
  const root = await mkdtemp(join(tmpdir(), 'skiff-content-'));
  return { store: new LocalStore(root), cleanup: () => rm(root, { recursive: true, force: true }) };
});

test('local: blobs live at blobs/sha256/<hex>, read-only, and ingests leave no trace', async () => {
  const root = await mkdtemp(join(tmpdir(), 'skiff-content-'));
  try {
    const s = new LocalStore(root);
    const w = await s.writer({ ref: 'layer-sha256:abc/with:odd/chars' });
    await w.write(Buffer.from('data'));
    await w.commit(4, digestOf('data'));
    const st = await stat(join(root, 'blobs/sha256', digestOf('data').slice(7)));
    assert.equal(st.size, 4);
    assert.equal(st.mode & 0o777, 0o444);
    assert.deepEqual(await readdir(join(root, 'ingest')), []);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('local: stray files under blobs/ are not reported as content', async () => {
  const root = await mkdtemp(join(tmpdir(), 'skiff-content-'));
  try {
    const s = new LocalStore(root);
    const w = await s.writer({ ref: 'x' });
    await w.write(Buffer.from('x'));
    await w.commit(1);
    await writeFile(join(root, 'blobs/sha256/not-a-digest'), 'junk');
    const seen: string[] = [];
    await s.walk((i) => { seen.push(i.digest); });
    assert.deepEqual(seen, [digestOf('x')]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('local: two store objects on one root share the ingest lock', async () => {
  const root = await mkdtemp(join(tmpdir(), 'skiff-content-'));
  try {
    const a = new LocalStore(root);
    const b = new LocalStore(root);
    const w = await a.writer({ ref: 'shared' });
    await assert.rejects(b.writer({ ref: 'shared' }), (e: unknown) => e instanceof EngineError && e.kind === 'unavailable');
    await w.close();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
