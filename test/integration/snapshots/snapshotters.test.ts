/**
 * Both snapshotters against the same cases (one conformance suite, two implementations):
 * layers unpacked by chain id, whiteouts and opaque dirs honoured once mounted, immutability
 * and conflicts, hostile layers leaving nothing behind. Runs as root.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  NativeSnapshotter, OverlaySnapshotter, chainIds, mountAll, unmountAll, unpackLayers,
} from '../../../src/containerd/snapshots/index.js';
import type { Snapshotter } from '../../../src/containerd/snapshots/index.js';
import { lgetxattr } from '../../../src/sys/index.js';
import { buildTar, tarStreamOf } from './tar-fixtures.js';
import { isRoot, mountsUnder, tempDir } from './helpers.js';
import { baseLayer, CAP_NET_RAW, diffId, upperLayer } from './layers.js';

const impls: Array<[string, (root: string) => Promise<Snapshotter>]> = [
  ['overlay', (root) => OverlaySnapshotter.open(root)],
  ['native', (root) => NativeSnapshotter.open(root)],
];

for (const [impl, open] of impls) {
  test(`${impl}: two layers with whiteouts mount as the merged image`, { skip: !isRoot }, async (t) => {
    const dir = tempDir(t);
    const sn = await open(join(dir, 'sn'));
    const layers = [await buildTar(baseLayer), await buildTar(upperLayer)];
    const ids = layers.map(diffId);
    const res = await unpackLayers(sn, ids, async (i) => tarStreamOf(layers[i]!));
    assert.deepEqual(res, { chainId: chainIds(ids)[1], unpacked: [0, 1] });
    const again = await unpackLayers(sn, ids, async () => { throw new Error('must not be read'); });
    assert.deepEqual(again.unpacked, []);
    assert.deepEqual((await sn.walk()).map((s) => [s.name, s.kind]), chainIds(ids).map((c) => [c, 'committed']).sort());

    const mnt = join(dir, 'mnt');
    mkdirSync(mnt);
    const mounts = await sn.prepare('ctr', res.chainId);
    mountAll(mounts, mnt);
    try {
      assert.equal(existsSync(join(mnt, 'gone')), false);
      assert.equal(existsSync(join(mnt, 'gonedir')), false);
      assert.deepEqual(readdirSync(join(mnt, 'opq')), ['new']);
      assert.equal(readFileSync(join(mnt, 'etc/hosts'), 'utf8'), 'changed\n');
      assert.equal(readFileSync(join(mnt, 'bin/busybox'), 'utf8'), 'BUSYBOX');
      assert.equal(lstatSync(join(mnt, 'bin/ls')).ino, lstatSync(join(mnt, 'bin/busybox')).ino);
      assert.equal(lstatSync(join(mnt, 'bin/ping')).mode & 0o7777, 0o4755);
      assert.deepEqual(lgetxattr(join(mnt, 'bin/ping'), 'security.capability'), CAP_NET_RAW);
      assert.ok(lstatSync(join(mnt, 'dev/null')).isCharacterDevice());
      writeFileSync(join(mnt, 'written'), 'rw');
    } finally {
      unmountAll(mnt);
    }
    assert.deepEqual(mountsUnder(dir), []);
    assert.ok((await sn.usage('ctr')).size > 0);
    await sn.remove('ctr');
  });

  test(`${impl}: keys, kinds and immutability`, { skip: !isRoot }, async (t) => {
    const dir = tempDir(t);
    const sn = await open(join(dir, 'sn'));
    await sn.prepare('a');
    await assert.rejects(sn.prepare('a'), { kind: 'conflict' });
    await assert.rejects(sn.prepare('b', 'a'), { kind: 'invalid-argument', message: /not committed/ });
    await assert.rejects(sn.prepare('b', 'nope'), { kind: 'not-found', message: 'No such snapshot: nope' });
    const [m] = await sn.mounts('a');
    writeFileSync(join(m!.source, 'f'), 'x');
    await sn.commit('base', 'a');
    await assert.rejects(sn.stat('a'), { kind: 'not-found' });
    await assert.rejects(sn.commit('other', 'base'), { kind: 'failed-precondition' });
    await assert.rejects(sn.mounts('base'), { kind: 'failed-precondition' });
    await sn.prepare('c');
    await assert.rejects(sn.commit('base', 'c'), { kind: 'conflict' });
    const view = await sn.view('v', 'base');
    const mnt = join(dir, 'mnt');
    mkdirSync(mnt);
    mountAll(view, mnt);
    try {
      assert.equal(readFileSync(join(mnt, 'f'), 'utf8'), 'x');
      assert.throws(() => writeFileSync(join(mnt, 'g'), 'y'), { code: 'EROFS' });
    } finally {
      unmountAll(mnt);
    }
    await assert.rejects(sn.remove('base'), { kind: 'failed-precondition', message: /depends on it/ });
    await sn.remove('v');
    await sn.remove('base');
    assert.deepEqual((await sn.stat('c')).kind, 'active');
    // The table survives a reopen.
    const again = await open(join(dir, 'sn'));
    assert.deepEqual((await again.walk()).map((s) => s.name), ['c']);
  });

  test(`${impl}: a hostile layer leaves no snapshot and nothing outside`, { skip: !isRoot }, async (t) => {
    const dir = tempDir(t);
    const root = join(dir, 'sn');
    const sn = await open(root);
    const good = await buildTar([{ name: 'ok', content: 'ok' }]);
    const bad = await buildTar([{ name: 'a', type: 'symlink', linkname: '/etc' }, { name: 'a/passwd', content: 'pwned' }]);
    await assert.rejects(
      unpackLayers(sn, [diffId(good), diffId(bad)], async (i) => tarStreamOf(i === 0 ? good : bad)),
      { kind: 'invalid-argument', message: 'layer entry "a/passwd" escapes the root' },
    );
    assert.deepEqual((await sn.walk()).map((s) => s.name), [diffId(good)]);
    assert.equal(readdirSync(join(root, 'snapshots')).length, 1, 'the failed snapshot dir is gone');
    assert.deepEqual(readdirSync(dir).sort(), ['sn']);
    assert.notEqual(readFileSync('/etc/passwd', 'utf8'), 'pwned');
  });
}

test('overlay: the unpacked upperdir holds overlay whiteouts', { skip: !isRoot }, async (t) => {
  const dir = tempDir(t);
  const root = join(dir, 'sn');
  const sn = await OverlaySnapshotter.open(root);
  const layers = [await buildTar(baseLayer), await buildTar(upperLayer)];
  await unpackLayers(sn, layers.map(diffId), async (i) => tarStreamOf(layers[i]!));
  const upper = join(root, 'snapshots', '2', 'fs');
  const wh = lstatSync(join(upper, 'gone'));
  assert.ok(wh.isCharacterDevice() && wh.rdev === 0);
  assert.equal(lgetxattr(join(upper, 'opq'), 'trusted.overlay.opaque')?.toString(), 'y');
  assert.equal(existsSync(join(upper, '.wh.gone')), false);
});
