import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MOUNT_ATTR_NOATIME,
  MOUNT_ATTR_NOSUID,
  MOUNT_ATTR_RDONLY,
  MOUNT_ATTR__ATIME,
  MS_BIND,
  MS_NODEV,
  MS_NOEXEC,
  MS_NOSUID,
  MS_PRIVATE,
  MS_RDONLY,
  MS_REC,
  MS_RELATIME,
  MS_SHARED,
  MS_SLAVE,
  MS_STRICTATIME,
  MS_UNBINDABLE,
  knownMountOptions,
  parseMountOptions,
  propagationFlags,
} from './mount-options.js';

test('MS_* constants have the kernel values', () => {
  assert.equal(MS_RDONLY, 1);
  assert.equal(MS_BIND, 4096);
  assert.equal(MS_REC, 16384);
  assert.equal(MS_UNBINDABLE, 131072);
  assert.equal(MS_PRIVATE, 262144);
  assert.equal(MS_SLAVE, 524288);
  assert.equal(MS_SHARED, 1048576);
  assert.equal(MS_RELATIME, 2097152);
  assert.equal(MS_STRICTATIME, 16777216);
});

test('empty options give an empty result', () => {
  assert.deepEqual(parseMountOptions([]), {
    flags: 0, clearFlags: 0, propagation: [], data: '', recAttrSet: 0, recAttrClr: 0, extensions: [],
  });
});

test('runc spec /dev/pts options: flags and data split', () => {
  const r = parseMountOptions(['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5']);
  assert.equal(r.flags, MS_NOSUID | MS_NOEXEC);
  assert.equal(r.data, 'newinstance,ptmxmode=0666,mode=0620,gid=5');
});

test('a docker bind mount: rbind + rprivate + ro', () => {
  const r = parseMountOptions(['rbind', 'rprivate', 'ro']);
  assert.equal(r.flags, MS_BIND | MS_REC | MS_RDONLY);
  assert.deepEqual(r.propagation, [MS_PRIVATE | MS_REC]);
  assert.equal(r.data, '');
});

test('later words win, and cleared flags are remembered', () => {
  const r = parseMountOptions(['ro', 'rw', 'nodev', 'dev', 'suid']);
  assert.equal(r.flags & MS_RDONLY, 0);
  assert.equal(r.clearFlags, MS_RDONLY | MS_NODEV | MS_NOSUID);
  const back = parseMountOptions(['rw', 'ro']);
  assert.equal(back.flags, MS_RDONLY);
  assert.equal(back.clearFlags, 0);
});

test('propagation words are kept in order, one mount call each', () => {
  const r = parseMountOptions(['shared', 'rslave', 'runbindable']);
  assert.deepEqual(r.propagation, [MS_SHARED, MS_SLAVE | MS_REC, MS_UNBINDABLE | MS_REC]);
  assert.equal(r.flags, 0);
});

test('recursive attributes go to mount_setattr, atime ones clear the atime field', () => {
  const r = parseMountOptions(['rro', 'rnosuid']);
  assert.equal(r.recAttrSet, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID);
  assert.equal(r.recAttrClr, 0);
  const a = parseMountOptions(['rnoatime']);
  assert.equal(a.recAttrSet, MOUNT_ATTR_NOATIME);
  assert.equal(a.recAttrClr, MOUNT_ATTR__ATIME);
  const rw = parseMountOptions(['rro', 'rrw']);
  assert.equal(rw.recAttrSet, 0);
  assert.equal(rw.recAttrClr, MOUNT_ATTR_RDONLY);
});

test('extensions: tmpcopyup, idmap, ridmap', () => {
  const r = parseMountOptions(['tmpcopyup', 'idmap', 'mode=755', 'tmpcopyup']);
  assert.deepEqual(r.extensions, ['tmpcopyup', 'idmap']);
  assert.equal(r.data, 'mode=755');
  assert.deepEqual(parseMountOptions(['rbind', 'ridmap']).extensions, ['ridmap']);
});

test('"defaults" is a no-op, not filesystem data', () => {
  assert.equal(parseMountOptions(['defaults', 'nodev']).data, '');
  assert.equal(parseMountOptions(['defaults', 'nodev']).flags, MS_NODEV);
});

test('atime family', () => {
  const r = parseMountOptions(['strictatime', 'relatime', 'norelatime', 'noatime', 'nodiratime']);
  assert.equal(r.flags, MS_STRICTATIME | 1024 | 2048);
  assert.equal(r.clearFlags, MS_RELATIME);
});

test('propagationFlags and knownMountOptions', () => {
  assert.equal(propagationFlags('rslave'), MS_SLAVE | MS_REC);
  assert.equal(propagationFlags('private'), MS_PRIVATE);
  assert.equal(propagationFlags('toString'), undefined);
  assert.equal(propagationFlags('bogus'), undefined);
  const known = knownMountOptions();
  for (const w of ['ro', 'rbind', 'rprivate', 'rro', 'tmpcopyup', 'idmap']) assert.ok(known.includes(w), w);
  assert.deepEqual(known, [...known].sort());
});

test('prototype names are data, not flags', () => {
  assert.equal(parseMountOptions(['constructor', '__proto__']).data, 'constructor,__proto__');
});
