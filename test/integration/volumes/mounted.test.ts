/**
 * Volumes with mount options, as root: an in-memory tmpfs volume mounted by its first user and
 * gone after its last, a bind-style volume whose device is never harmed by removal, and mount
 * references that outlive a daemon restart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FS_MAGIC } from '../../../src/sys/index.js';
import { VolumesService } from '../../../src/services/volumes/index.js';
import { isRoot, mountsUnder, tempDir } from './helpers.js';

const opts = { skip: isRoot ? false : 'needs root' };

test('tmpfs volume: in memory while used, gone after release', opts, async (t) => {
  const root = tempDir(t);
  const svc = await VolumesService.open({ dataRoot: root });
  const v = await svc.create({ Name: 'mem', DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=10m,uid=1000' } });
  assert.deepEqual(v.Options, { type: 'tmpfs', device: 'tmpfs', o: 'size=10m,uid=1000' });
  assert.notEqual(statfsSync(v.Mountpoint).type, FS_MAGIC.TMPFS);
  assert.equal(await svc.mount('mem', 'c1'), v.Mountpoint);
  assert.equal(statfsSync(v.Mountpoint).type, FS_MAGIC.TMPFS);
  const s = statfsSync(v.Mountpoint);
  assert.equal(s.blocks * s.bsize, 10 * 2 ** 20);
  writeFileSync(join(v.Mountpoint, 'f'), 'x');
  await svc.mount('mem', 'c2');
  await svc.mount('mem', 'c2');
  await assert.rejects(svc.remove('mem'), { message: 'remove mem: volume is in use - [c1, c2]' });
  await svc.unmount('mem', 'c1');
  assert.equal(statfsSync(v.Mountpoint).type, FS_MAGIC.TMPFS, 'still held by c2');
  await svc.unmount('mem', 'c2');
  assert.notEqual(statfsSync(v.Mountpoint).type, FS_MAGIC.TMPFS);
  assert.deepEqual(readdirSync(v.Mountpoint), [], 'the data lived in memory');
  assert.deepEqual(mountsUnder(root), []);
  await svc.remove('mem');
});

test('bind-style volume shows its device, and removal leaves the device alone', opts, async (t) => {
  const root = tempDir(t);
  const device = join(root, 'device');
  mkdirSync(device);
  writeFileSync(join(device, 'precious'), 'keep me');
  const svc = await VolumesService.open({ dataRoot: join(root, 'data') });
  const v = await svc.create({ Name: 'bound', DriverOpts: { type: 'none', o: 'bind', device } });
  await svc.mount('bound', 'c1');
  assert.equal(readFileSync(join(v.Mountpoint, 'precious'), 'utf8'), 'keep me');
  writeFileSync(join(v.Mountpoint, 'new'), 'through the volume');
  await svc.unmount('bound', 'c1');
  await svc.remove('bound');
  assert.deepEqual(readdirSync(device).sort(), ['new', 'precious']);
  assert.deepEqual(mountsUnder(root), []);
});

test('read-only bind-style volume is remounted read-only', opts, async (t) => {
  const root = tempDir(t);
  const device = join(root, 'device');
  mkdirSync(device);
  const svc = await VolumesService.open({ dataRoot: join(root, 'data') });
  const v = await svc.create({ Name: 'robind', DriverOpts: { type: 'none', o: 'bind,ro', device } });
  await svc.mount('robind', 'c1');
  assert.throws(() => writeFileSync(join(v.Mountpoint, 'x'), 'x'), { code: 'EROFS' });
  await svc.unmount('robind', 'c1');
});

test('mount references survive a restart; a removed mount is forgotten', opts, async (t) => {
  const root = tempDir(t);
  const first = await VolumesService.open({ dataRoot: root });
  const v = await first.create({ Name: 'mem', DriverOpts: { type: 'tmpfs', device: 'tmpfs' } });
  await first.mount('mem', 'c1');
  writeFileSync(join(v.Mountpoint, 'f'), 'x');
  // The daemon restarts while c1 keeps running: the mount and the reference stay.
  const second = await VolumesService.open({ dataRoot: root });
  await assert.rejects(second.remove('mem'), { message: 'remove mem: volume is in use - [c1]' });
  await second.mount('mem', 'c2');
  assert.ok(existsSync(join(v.Mountpoint, 'f')), 'not mounted afresh over the live one');
  await second.unmount('mem', 'c1');
  await second.unmount('mem', 'c2');
  assert.deepEqual(mountsUnder(root), []);
  // A reboot drops the mount behind the daemon's back: the stale reference is cleared on open.
  await second.mount('mem', 'c3');
  const { umount2 } = await import('../../../src/sys/index.js');
  umount2(v.Mountpoint);
  const third = await VolumesService.open({ dataRoot: root });
  await third.remove('mem');
});
