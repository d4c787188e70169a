/** docker cp's path handling: Go file modes, path parsing, and chroot-like resolution. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goFileMode, parseContainerPath, resolveInRoot } from './archive.js';

test('goFileMode uses os.FileMode bits', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-cp-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'f'), 'x', { mode: 0o644 });
  symlinkSync('f', join(dir, 'l'));
  assert.equal(goFileMode(lstatSync(dir)), 2 ** 31 + (lstatSync(dir).mode & 0o777));
  assert.equal(goFileMode(lstatSync(join(dir, 'f'))), 0o644);
  assert.equal(goFileMode(lstatSync(join(dir, 'l'))), 2 ** 27 + 0o777);
  assert.equal(goFileMode(lstatSync('/dev/null')), 2 ** 26 + 2 ** 21 + 0o666);
  assert.equal(goFileMode(lstatSync('/tmp')), 2 ** 31 + 2 ** 20 + 0o777);
});

test('parseContainerPath keeps the base asked for and clamps ..', () => {
  assert.deepEqual(parseContainerPath('/etc/passwd'), { parts: ['etc', 'passwd'], followLast: false, name: 'passwd' });
  assert.deepEqual(parseContainerPath('/tmp/d/'), { parts: ['tmp', 'd'], followLast: true, name: 'd' });
  assert.deepEqual(parseContainerPath('/tmp/d/.'), { parts: ['tmp', 'd'], followLast: true, name: '.' });
  assert.deepEqual(parseContainerPath('/'), { parts: [], followLast: true, name: '/' });
  assert.deepEqual(parseContainerPath('../../etc'), { parts: ['etc'], followLast: false, name: 'etc' });
  assert.throws(() => parseContainerPath(''), /path cannot be empty/);
});

test('resolveInRoot never leaves the root', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'skiff-cp-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'etc'));
  mkdirSync(join(root, 'tmp'));
  symlinkSync('../../../../etc', join(root, 'tmp/up'));
  symlinkSync('/etc', join(root, 'tmp/abs'));
  symlinkSync('/tmp/abs', join(root, 'tmp/chain'));
  for (const via of ['up', 'abs', 'chain']) {
    assert.deepEqual(await resolveInRoot(root, ['tmp', via, 'passwd']), { host: join(root, 'etc/passwd'), inContainer: '/etc/passwd' });
  }
  assert.deepEqual(await resolveInRoot(root, ['missing', 'x']), { host: join(root, 'missing/x'), inContainer: '/missing/x' });
  symlinkSync('loop', join(root, 'loop'));
  await assert.rejects(resolveInRoot(root, ['loop']), /too many links/);
});
