/** Mount points → OCI mounts and the inspect view, as moby's withMounts / GetMountPoints. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBind } from './bind.js';
import { inspectMounts, toOciMounts } from './oci.js';
import { parseMountSpec } from './spec.js';
import { mergeTmpfsOptions, tmpfsOptions } from './tmpfs.js';
import type { MountPoint } from './types.js';

function volume(dest: string, name: string, rw = true): MountPoint {
  return {
    Type: 'volume', Source: `/var/lib/skiff/volumes/${name}/_data`, Destination: dest, RW: rw, Name: name, Driver: 'local',
    Mode: 'z', Propagation: '', CopyData: true, Spec: { Type: 'volume', Source: name, Target: dest, ReadOnly: !rw },
  };
}

test('binds: rbind, rro/ro, propagation', () => {
  const { mounts, rootfsPropagation } = toOciMounts([parseBind('/h:/c:ro'), parseBind('/h2:/c2')]);
  assert.deepEqual(mounts, [
    { destination: '/c', type: 'bind', source: '/h', options: ['rbind', 'rro', 'rprivate'] },
    { destination: '/c2', type: 'bind', source: '/h2', options: ['rbind', 'rprivate'] },
  ]);
  assert.equal(rootfsPropagation, undefined);
  assert.deepEqual(toOciMounts([parseBind('/h:/c:ro')], { recursiveReadOnly: false }).mounts[0]!.options, ['rbind', 'ro', 'rprivate']);
});

test('bind options: NonRecursive, ReadOnlyNonRecursive and conflicts', () => {
  const mk = (b: object, ro: boolean) => parseMountSpec({ Type: 'bind', Source: '/', Target: '/c', ReadOnly: ro, BindOptions: b });
  assert.deepEqual(toOciMounts([mk({ NonRecursive: true }, false)]).mounts[0]!.options, ['bind', 'rprivate']);
  assert.deepEqual(toOciMounts([mk({ ReadOnlyNonRecursive: true }, true)]).mounts[0]!.options, ['rbind', 'ro', 'rprivate']);
  assert.throws(() => toOciMounts([mk({ ReadOnlyNonRecursive: true }, false)]), {
    message: 'mount options conflict: !ReadOnly && BindOptions.ReadOnlyNonRecursive',
  });
  assert.throws(() => toOciMounts([mk({ ReadOnlyForceRecursive: true }, true)], { recursiveReadOnly: false }));
});

test('shared and slave propagation adjust the rootfs propagation', () => {
  assert.equal(toOciMounts([parseBind('/h:/c:rslave')]).rootfsPropagation, 'rslave');
  assert.equal(toOciMounts([parseBind('/h:/c:rslave'), parseBind('/h:/d:shared')]).rootfsPropagation, 'shared');
  assert.deepEqual(toOciMounts([parseBind('/h:/c:shared')]).mounts[0]!.options, ['rbind', 'shared']);
});

test('volumes are binds of their data, without propagation', () => {
  assert.deepEqual(toOciMounts([volume('/data', 'v1', false)]).mounts, [
    { destination: '/data', type: 'bind', source: '/var/lib/skiff/volumes/v1/_data', options: ['rbind', 'rro'] },
  ]);
  const sources = new Map([['/data', '/sub/path']]);
  assert.equal(toOciMounts([volume('/data', 'v1')], { sources }).mounts[0]!.source, '/sub/path');
});

test('mounts are ordered by depth', () => {
  const out = toOciMounts([volume('/etc/app/conf', 'a'), parseBind('/h:/etc'), volume('/etc/app', 'b')]).mounts;
  assert.deepEqual(out.map((m) => m.destination), ['/etc', '/etc/app', '/etc/app/conf']);
});

test('tmpfs gets Docker defaults merged with the user data', () => {
  assert.deepEqual(tmpfsOptions('rw,noexec,size=65536k'), ['nosuid', 'nodev', 'rprivate', 'rw', 'noexec', 'size=65536k']);
  assert.deepEqual(tmpfsOptions(''), ['noexec', 'nosuid', 'nodev', 'rprivate']);
  assert.deepEqual(tmpfsOptions('exec,size=1m,size=2m'), ['nosuid', 'nodev', 'rprivate', 'exec', 'size=2m']);
  assert.deepEqual(tmpfsOptions('shared,mode=1777'), ['noexec', 'nosuid', 'nodev', 'shared', 'mode=1777']);
  assert.throws(() => mergeTmpfsOptions(['bogus']), { message: 'invalid tmpfs option "bogus"' });
  assert.throws(() => mergeTmpfsOptions(['foo=1']), { message: 'invalid tmpfs option "foo"' });
  const mp = parseMountSpec({ Type: 'tmpfs', Target: '/t', ReadOnly: true, TmpfsOptions: { SizeBytes: 2 ** 20, Mode: 0o1777 } });
  assert.deepEqual(toOciMounts([mp]).mounts, [
    { destination: '/t', type: 'tmpfs', source: 'tmpfs', options: ['noexec', 'nosuid', 'nodev', 'rprivate', 'ro', 'mode=1777', 'size=1m'] },
  ]);
});

test('inspect view', () => {
  const tmpfsMap: MountPoint = { ...parseMountSpec({ Type: 'tmpfs', Target: '/run' }), FromTmpfsMap: true };
  assert.deepEqual(inspectMounts([volume('/data', 'v1'), parseBind('/h:/c:ro'), tmpfsMap]), [
    { Type: 'bind', Source: '/h', Destination: '/c', Mode: 'ro', RW: false, Propagation: 'rprivate' },
    { Type: 'volume', Name: 'v1', Source: '/var/lib/skiff/volumes/v1/_data', Destination: '/data', Driver: 'local', Mode: 'z', RW: true, Propagation: '' },
  ]);
});
