/**
 * Layer unpacking as root: every entry type lands on disk with its owner, mode, times and
 * xattrs, and hostile layers are refused without a byte written outside the target.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { applyLayer } from '../../../src/containerd/archive/index.js';
import { lgetxattr, major, minor } from '../../../src/sys/index.js';
import { buildTar, tarStreamOf } from './tar-fixtures.js';
import type { FixtureEntry } from './tar-fixtures.js';
import { baseLayer, CAP_NET_RAW } from './layers.js';
import { isRoot, tempDir } from './helpers.js';

test('a layer lands on disk with types, owners, modes, times and xattrs', { skip: !isRoot }, async (t) => {
  const root = join(tempDir(t), 'root');
  mkdirSync(root);
  const { size } = await applyLayer(root, tarStreamOf(await buildTar(baseLayer)));
  assert.equal(size, 20 + 7 + 4 + 1 + 4 + 4 + 4 + 4 + 1);
  const st = (p: string) => lstatSync(join(root, p));
  assert.equal(readFileSync(join(root, 'etc/hosts'), 'utf8'), '127.0.0.1 localhost\n');
  assert.deepEqual([st('etc/hosts').uid, st('etc/hosts').gid, st('etc/hosts').mode & 0o7777], [1000, 1001, 0o644]);
  assert.equal(st('etc/hosts').mtimeMs, 1_400_000_000_000);
  assert.equal(st('etc').mtimeMs, 1_500_000_000_000, 'directory times are set after their contents');
  assert.equal(readlinkSync(join(root, 'bin/sh')), 'busybox');
  assert.equal(st('bin/sh').mtimeMs, 1_300_000_000_000, 'symlink times are set without following');
  assert.equal(st('bin/ls').ino, st('bin/busybox').ino);
  assert.equal(st('bin/ping').mode & 0o7777, 0o4755);
  assert.deepEqual(lgetxattr(join(root, 'bin/ping'), 'security.capability'), CAP_NET_RAW);
  assert.deepEqual([st('bin/tool').mode & 0o7777, st('bin/tool').gid], [0o2755, 50]);
  assert.equal(lgetxattr(join(root, 'bin/tool'), 'user.x')?.toString(), 'hello');
  assert.ok(st('dev/null').isCharacterDevice());
  assert.deepEqual([major(st('dev/null').rdev), minor(st('dev/null').rdev), st('dev/null').mode & 0o777], [1, 3, 0o666]);
  assert.ok(st('dev/loop0').isBlockDevice());
  assert.deepEqual([major(st('dev/loop0').rdev), st('dev/loop0').gid], [7, 6]);
  assert.ok(st('run/fifo').isFIFO());
  assert.equal(st('run/fifo').mode & 0o777, 0o620);
  assert.equal(st('tmp').mode & 0o7777, 0o1777);
  assert.equal(readFileSync(join(root, 'a/b/c/deep'), 'utf8'), 'deep');
  assert.equal(st('a/b').mode & 0o777, 0o755);
});

test('an in-root relative symlink may be a parent', { skip: !isRoot }, async (t) => {
  const root = join(tempDir(t), 'root');
  mkdirSync(root);
  await applyLayer(root, tarStreamOf(await buildTar([
    { name: 'usr/lib/', type: 'directory', mode: 0o755 },
    { name: 'lib', type: 'symlink', linkname: 'usr/lib' },
    { name: 'lib/libc.so', content: 'c', mode: 0o644 },
  ])));
  assert.equal(readFileSync(join(root, 'usr/lib/libc.so'), 'utf8'), 'c');
  assert.ok(lstatSync(join(root, 'lib')).isSymbolicLink());
});

const canary = `skiff-escape-${randomBytes(4).toString('hex')}`;
const hostile: Array<[string, FixtureEntry[]]> = [
  ['dot-dot', [{ name: `../${canary}`, content: 'x' }]],
  ['absolute dot-dot', [{ name: `/../../${canary}`, content: 'x' }]],
  ['absolute symlink parent', [{ name: 'a', type: 'symlink', linkname: '/etc' }, { name: `a/${canary}`, content: 'x' }]],
  ['climbing symlink parent', [{ name: 'd/', type: 'directory' }, { name: 'd/up', type: 'symlink', linkname: '../..' }, { name: `d/up/${canary}`, content: 'x' }]],
  ['hardlink out', [{ name: 'h', type: 'link', linkname: '../../etc/shadow' }]],
  ['hardlink through symlink', [{ name: 's', type: 'symlink', linkname: '/etc' }, { name: 'h', type: 'link', linkname: 's/shadow' }]],
];

for (const [label, entries] of hostile) {
  test(`a hostile layer is refused: ${label}`, { skip: !isRoot }, async (t) => {
    const outer = tempDir(t);
    const root = join(outer, 'deep', 'root');
    mkdirSync(root, { recursive: true });
    await assert.rejects(applyLayer(root, tarStreamOf(await buildTar(entries))), (e: Error & { kind?: string }) => {
      assert.equal(e.kind, 'invalid-argument');
      assert.match(e.message, /escapes the root|not a file in the layer/);
      assert.match(e.message, /layer entry "/);
      return true;
    });
    assert.deepEqual(readdirSync(outer), ['deep']);
    assert.deepEqual(readdirSync(join(outer, 'deep')), ['root']);
    for (const dir of ['/', '/etc', '/tmp', outer]) assert.equal(existsSync(join(dir, canary)), false);
  });
}

test('invalid whiteout names are refused', async (t) => {
  const root = join(tempDir(t), 'root');
  mkdirSync(root);
  await assert.rejects(applyLayer(root, tarStreamOf(await buildTar([{ name: 'x/.wh.', content: '' }]))), { kind: 'invalid-argument', message: /invalid whiteout/ });
});
