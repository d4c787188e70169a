/**
 * Copy-up and the container mount planner end to end, as root: a fake image directory with
 * owned, moded, symlinked and xattr-carrying content populates an empty named volume on first
 * use (not with nocopy, not a non-empty one); `-v` host paths are created, `--mount` bind
 * sources are not; OCI mounts come out; teardown releases everything.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lgetxattr, lsetxattr } from '../../../src/sys/index.js';
import { copyUp } from '../../../src/services/volumes/index.js';
import { VolumesService } from '../../../src/services/volumes/index.js';
import { containerMounts, resolveMounts, setupMounts, teardownMounts } from '../../../src/services/mounts/index.js';
import { isRoot, mountsUnder, tempDir } from './helpers.js';

const opts = { skip: isRoot ? false : 'needs root' };

/** An image rootfs with /var/lib/app filled, and /app-link → /var/lib/app (absolute). */
function fakeImage(root: string): { xattrs: boolean } {
  const app = join(root, 'var', 'lib', 'app');
  mkdirSync(join(app, 'sub'), { recursive: true });
  chownSync(app, 1000, 1001);
  chmodSync(app, 0o750);
  writeFileSync(join(app, 'secret'), 'data');
  chownSync(join(app, 'secret'), 1234, 5678);
  chmodSync(join(app, 'secret'), 0o640);
  chmodSync(join(app, 'sub'), 0o711);
  writeFileSync(join(app, 'sub', 'exe'), '#!/bin/sh\n');
  chmodSync(join(app, 'sub', 'exe'), 0o4755);
  symlinkSync('../secret', join(app, 'sub', 'link'));
  symlinkSync('/var/lib/app', join(root, 'app-link'));
  let xattrs = true;
  try {
    lsetxattr(join(app, 'secret'), 'user.skiff', 'yes');
  } catch {
    xattrs = false; // the temp filesystem has no user xattrs
  }
  return { xattrs };
}

test('copyUp keeps owners, modes, symlinks and xattrs', opts, async (t) => {
  const dir = tempDir(t);
  const image = join(dir, 'image');
  const { xattrs } = fakeImage(image);
  const vol = join(dir, 'vol');
  mkdirSync(vol);
  assert.equal(await copyUp(image, '/var/lib/app', vol), true);
  const st = lstatSync(join(vol, 'secret'));
  assert.deepEqual([st.uid, st.gid, st.mode & 0o7777], [1234, 5678, 0o640]);
  assert.equal(readFileSync(join(vol, 'secret'), 'utf8'), 'data');
  assert.equal(lstatSync(join(vol, 'sub')).mode & 0o7777, 0o711);
  assert.equal(lstatSync(join(vol, 'sub', 'exe')).mode & 0o7777, 0o4755);
  assert.equal(readlinkSync(join(vol, 'sub', 'link')), '../secret');
  const top = lstatSync(vol);
  assert.deepEqual([top.uid, top.gid, top.mode & 0o7777], [1000, 1001, 0o750], 'the volume root takes the image dir’s owner and mode');
  if (xattrs) assert.equal(lgetxattr(join(vol, 'secret'), 'user.skiff')?.toString(), 'yes');
  assert.equal(await copyUp(image, '/var/lib/app', vol), false, 'a non-empty volume is left alone');

  const viaLink = join(dir, 'vol2');
  mkdirSync(viaLink);
  assert.equal(await copyUp(image, '/app-link', viaLink), true, 'absolute symlinks resolve inside the image');
  assert.ok(existsSync(join(viaLink, 'secret')));
  const none = join(dir, 'vol3');
  mkdirSync(none);
  assert.equal(await copyUp(image, '/no/such', none), false);
});

test('planner: resolve at create, set up at start, release at stop', opts, async (t) => {
  const dir = tempDir(t);
  const image = join(dir, 'image');
  fakeImage(image);
  const volumes = await VolumesService.open({ dataRoot: join(dir, 'data') });
  const hostMissing = join(dir, 'host', 'made-by-v');
  const points = await resolveMounts({
    containerId: 'c1',
    hostConfig: {
      Binds: ['appdata:/var/lib/app', `${hostMissing}:/h:ro`, 'nocopy1:/var/lib/app/sub:nocopy'],
      Mounts: [{ Type: 'volume', Source: 'mem', Target: '/mem', VolumeOptions: { DriverConfig: { Name: 'local', Options: { type: 'tmpfs', device: 'tmpfs' } } } }],
      Tmpfs: { '/run': 'rw,noexec,size=65536k' },
    },
    imageVolumes: { '/data': {} },
  }, { volumes });
  assert.equal(existsSync(hostMissing), false, 'nothing on the host at create');
  const oci = await setupMounts({ containerId: 'c1', mountPoints: points, rootfs: image }, volumes);
  assert.ok(existsSync(hostMissing), '-v host paths are created at start');
  const appdata = volumes.inspect('appdata').Mountpoint;
  assert.equal(lstatSync(join(appdata, 'secret')).uid, 1234, 'copied up');
  assert.deepEqual(mountsUnder(volumes.inspect('mem').Mountpoint), [volumes.inspect('mem').Mountpoint]);
  assert.deepEqual(oci.mounts.map((m) => [m.destination, m.type, m.options]), [
    ['/data', 'bind', ['rbind']],
    ['/h', 'bind', ['rbind', 'rro', 'rprivate']],
    ['/mem', 'bind', ['rbind']],
    ['/run', 'tmpfs', ['nosuid', 'nodev', 'rprivate', 'rw', 'noexec', 'size=65536k']],
    ['/var/lib/app', 'bind', ['rbind']],
    ['/var/lib/app/sub', 'bind', ['rbind']],
  ]);
  assert.equal(existsSync(join(volumes.inspect('nocopy1').Mountpoint, 'exe')), false, 'nocopy volumes stay empty');
  await teardownMounts('c1', points, volumes);
  assert.deepEqual(mountsUnder(dir), []);
  const anon = points.find((p) => p.Destination === '/data')!.Name;
  assert.deepEqual(await volumes.releaseAnonymous('c1'), [anon]);
});

test('planner: --mount bind sources must exist at create and at start', opts, async (t) => {
  const dir = tempDir(t);
  const volumes = await VolumesService.open({ dataRoot: join(dir, 'data') });
  const src = join(dir, 'src');
  await assert.rejects(resolveMounts({ containerId: 'c', hostConfig: { Mounts: [{ Type: 'bind', Source: src, Target: '/x' }] } }, { volumes }),
    { message: `invalid mount config for type "bind": bind source path does not exist: ${src}` });
  mkdirSync(src);
  const points = await resolveMounts({ containerId: 'c', hostConfig: { Mounts: [{ Type: 'bind', Source: src, Target: '/x' }] } }, { volumes });
  (await import('node:fs')).rmdirSync(src);
  await assert.rejects(setupMounts({ containerId: 'c', mountPoints: points }, volumes),
    { message: `invalid mount config for type "bind": bind source path does not exist: ${src}` });
});

test('containerMounts adapter reuses anonymous volumes across starts', opts, async (t) => {
  const dir = tempDir(t);
  const volumes = await VolumesService.open({ dataRoot: join(dir, 'data') });
  const cm = containerMounts({ volumes });
  const rec = { Id: 'c7', Config: { Volumes: { '/data': {} } }, HostConfig: { Binds: ['named7:/n'] } };
  const first = await cm.plan(rec, undefined);
  await cm.release({ Id: 'c7', MountPoints: first.mountPoints }, false);
  const second = await cm.plan({ ...rec, MountPoints: first.mountPoints }, undefined);
  assert.deepEqual(second.anonymousVolumes, first.anonymousVolumes);
  assert.deepEqual(second.mountPoints, first.mountPoints);
  assert.equal(first.mountPoints.find((m) => m.Destination === '/n')?.Mode, 'z');
  await cm.release({ Id: 'c7', MountPoints: second.mountPoints }, true);
  assert.deepEqual(volumes.list().Volumes.map((v) => v.Name), ['named7'], 'named volumes survive --rm');
});
