/**
 * Diffs of a container's changes, on both snapshotters: the `docker diff` list, the layer tar
 * (readable by GNU tar), and the round trip — the diff applied as a new layer on the image
 * reproduces the container's filesystem.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import {
  NativeSnapshotter, OverlaySnapshotter, mountAll, snapshotChanges, unmountAll, unpackLayers, writeSnapshotDiff,
} from '../../../src/containerd/snapshots/index.js';
import type { Snapshotter } from '../../../src/containerd/snapshots/index.js';
import { readTar } from '../../../src/containerd/archive/tar/index.js';
import { llistxattr } from '../../../src/sys/index.js';
import { buildTar, tarStreamOf } from './tar-fixtures.js';
import { baseLayer, diffId, upperLayer } from './layers.js';
import { isRoot, mountsUnder, tempDir } from './helpers.js';

/** A comparable picture of a tree: type, mode, owner, size, content digest, link target, xattrs. */
function snapshotOf(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, rel)).sort()) {
    const r = join(rel, name);
    const p = join(root, r);
    const st = lstatSync(p);
    const extra = st.isFile() ? createHash('sha256').update(readFileSync(p)).digest('hex').slice(0, 12)
      : st.isSymbolicLink() ? readlinkSync(p) : String(st.rdev);
    out.push(`${r} ${st.mode.toString(8)} ${st.uid}:${st.gid} ${st.isDirectory() ? '-' : st.size} ${extra} ${llistxattr(p).sort().join(',')}`);
    if (st.isDirectory()) out.push(...snapshotOf(root, r));
  }
  return out;
}

function withMount<T>(mounts: Parameters<typeof mountAll>[0], target: string, fn: () => T): T {
  mountAll(mounts, target);
  try { return fn(); } finally { unmountAll(target); }
}

const impls: Array<[string, (root: string) => Promise<Snapshotter>]> = [
  ['overlay', (root) => OverlaySnapshotter.open(root)],
  ['native', (root) => NativeSnapshotter.open(root)],
];

for (const [impl, open] of impls) {
  test(`${impl}: a container's changes diff into a layer that reproduces it`, { skip: !isRoot }, async (t) => {
    const dir = tempDir(t);
    const sn = await open(join(dir, 'sn'));
    const layers = [await buildTar(baseLayer), await buildTar(upperLayer)];
    const { chainId } = await unpackLayers(sn, layers.map(diffId), async (i) => tarStreamOf(layers[i]!));
    const mnt = join(dir, 'mnt');
    mkdirSync(mnt);
    const picture = withMount(await sn.prepare('ctr', chainId), mnt, () => {
      mkdirSync(join(mnt, 'new'));
      writeFileSync(join(mnt, 'new/file'), 'added');
      writeFileSync(join(mnt, 'etc/hosts'), 'modified\n');
      rmSync(join(mnt, 'bin/busybox'));
      rmSync(join(mnt, 'opq'), { recursive: true });
      mkdirSync(join(mnt, 'opq'));
      writeFileSync(join(mnt, 'opq/x'), 'x');
      rmSync(join(mnt, 'a/b'), { recursive: true });
      chmodSync(join(mnt, 'tmp'), 0o755);
      return snapshotOf(mnt);
    });

    const list = (await snapshotChanges(sn, 'ctr')).map((c) => `${c.kind} ${c.path}`);
    for (const want of ['A /new', 'A /new/file', 'C /etc/hosts', 'D /bin/busybox', 'D /a/b', 'C /tmp']) {
      assert.ok(list.includes(want), `${want} in ${list.join('; ')}`);
    }
    assert.ok(list.includes(impl === 'overlay' ? 'C /opq' : 'D /opq/new'), list.join('; '));
    const paths = list.map((l) => l.slice(2));
    assert.deepEqual(paths, [...paths].sort());

    const pt = new PassThrough();
    const chunks: Buffer[] = [];
    pt.on('data', (c: Buffer) => chunks.push(c));
    await writeSnapshotDiff(sn, 'ctr', pt);
    const tarBuf = Buffer.concat(chunks);
    const names: string[] = [];
    for await (const e of readTar(tarStreamOf(tarBuf))) names.push(e.header.name);
    for (const want of ['new/', 'new/file', 'etc/', 'etc/hosts', 'bin/', 'bin/.wh.busybox', 'a/', 'a/.wh.b', 'tmp/', 'opq/', 'opq/x']) {
      assert.ok(names.includes(want), `${want} in ${names.join(' ')}`);
    }
    assert.ok(names.includes(impl === 'overlay' ? 'opq/.wh..wh..opq' : 'opq/.wh.new'), names.join(' '));
    const [wh, sibling] = impl === 'overlay' ? ['opq/.wh..wh..opq', 'opq/x'] : ['opq/.wh.new', 'opq/x'];
    assert.ok(names.indexOf(wh) < names.indexOf(sibling), 'whiteouts come before their siblings');
    assert.equal(execFileSync('tar', ['-tf', '-'], { input: tarBuf }).toString().trim().split('\n').length, names.length);

    // Same input, same bytes.
    const again: Buffer[] = [];
    const pt2 = new PassThrough();
    pt2.on('data', (c: Buffer) => again.push(c));
    await writeSnapshotDiff(sn, 'ctr', pt2);
    assert.deepEqual(Buffer.concat(again), tarBuf);

    const all = [...layers, tarBuf];
    const top = await unpackLayers(sn, all.map(diffId), async (i) => tarStreamOf(all[i]!));
    assert.deepEqual(top.unpacked, [2]);
    const rebuilt = withMount(await sn.view('check', top.chainId), mnt, () => snapshotOf(mnt));
    assert.deepEqual(rebuilt, picture);
    assert.deepEqual(mountsUnder(dir), []);
  });
}

test('overlay: 120 stacked layers still mount, by every strategy', { skip: !isRoot }, async (t) => {
  const dir = tempDir(t);
  const sn = await OverlaySnapshotter.open(join(dir, 'sn'));
  const layers: Buffer[] = [];
  for (let i = 0; i < 120; i++) {
    layers.push(await buildTar([
      { name: `f${i}`, content: String(i) },
      ...(i === 119 ? [{ name: '.wh.f0', content: '' }] : []),
    ]));
  }
  const { chainId } = await unpackLayers(sn, layers.map(diffId), async (i) => tarStreamOf(layers[i]!));
  const mounts = await sn.prepare('ctr', chainId);
  const lowerOpt = mounts[0]!.options.find((o) => o.startsWith('lowerdir='))!;
  assert.ok(lowerOpt.length > 4096, 'the chain is longer than one page of mount data');
  const mnt = join(dir, 'mnt');
  mkdirSync(mnt);
  const { mountAll: mountWith } = await import('../../../src/containerd/snapshots/mount.js');
  const { newMountApi } = await import('../../../src/sys/index.js');
  const strategies: Array<'auto' | 'chdir' | 'fsconfig'> = ['auto', 'chdir', ...(newMountApi() ? ['fsconfig' as const] : [])];
  for (const overlayStrategy of strategies) {
    const cwd = process.cwd();
    mountWith(mounts, mnt, { overlayStrategy });
    try {
      assert.equal(process.cwd(), cwd);
      const names = readdirSync(mnt).filter((n) => n !== 'w');
      assert.equal(names.length, 119, overlayStrategy);
      assert.equal(readFileSync(join(mnt, 'f1'), 'utf8'), '1');
      assert.equal(readFileSync(join(mnt, 'f119'), 'utf8'), '119');
      writeFileSync(join(mnt, 'w'), overlayStrategy);
    } finally {
      unmountAll(mnt);
    }
  }
  assert.deepEqual(mountsUnder(dir), []);
});
