import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonImageStore, JsonLeaseManager } from './index.js';

const target = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: 'sha256:' + 'a'.repeat(64), size: 3 };

test('image records persist atomically and reload', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-meta-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const s = await JsonImageStore.open(dir);
  const [rec] = await s.put([{ name: 'docker.io/library/x:1', target, labels: { a: 'b' } }]);
  assert.equal(rec!.createdAt, rec!.updatedAt);
  await s.put([{ name: 'docker.io/library/x:2', target, labels: {} }]);
  assert.deepEqual((await s.delete(['docker.io/library/x:1', 'absent'])).map((r) => r.name), ['docker.io/library/x:1']);
  const again = await JsonImageStore.open(dir);
  assert.deepEqual(again.list().map((r) => r.name), ['docker.io/library/x:2']);
  assert.ok(JSON.parse(readFileSync(join(dir, 'images.json'), 'utf8')).records);
  await assert.rejects(s.put([{ name: 'y', target: { ...target, digest: 'nope' }, labels: {} }]));
});

test('leases: resources, expiry, delete', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-lease-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const l = await JsonLeaseManager.open(dir);
  const a = await l.create({ id: 'pull-1' });
  await l.addResource(a.id, { type: 'content', id: target.digest });
  await l.addResource(a.id, { type: 'content', id: target.digest });
  await l.create({ id: 'old', expiresInMs: -1 });
  assert.deepEqual(l.list().map((x) => [x.id, x.resources.length]), [['pull-1', 1]]);
  await assert.rejects(l.create({ id: 'pull-1' }));
  await l.delete('pull-1');
  await assert.rejects(l.delete('pull-1'));
});
