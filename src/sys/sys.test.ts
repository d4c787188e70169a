import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, lstatSync, symlinkSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  errnoCode, sysError, makedev, major, minor, mknod, S_IFIFO, S_IFCHR, lsetxattr, lgetxattr,
  llistxattr, lremovexattr, mount, umount2, statfs, FS_MAGIC, fsMount, newMountApi,
} from './index.js';

const isRoot = process.getuid?.() === 0;

function tmp(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-sys-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('errno numbers map to node codes', () => {
  assert.equal(errnoCode(1), 'EPERM');
  assert.equal(errnoCode(2), 'ENOENT');
  assert.equal(errnoCode(99999), 'E99999');
  const e = sysError(2, 'mount', '/a', '/b');
  assert.equal(e.code, 'ENOENT');
  assert.equal(e.errno, 2);
  assert.equal(e.syscall, 'mount');
  assert.equal(e.path, '/a');
  assert.match(e.message, /^ENOENT: no such file or directory, mount '\/a' -> '\/b'$/);
});

test('makedev matches glibc encoding', () => {
  assert.equal(makedev(1, 3), 0x103n);
  assert.equal(makedev(0, 0), 0n);
  for (const [ma, mi] of [[8, 1], [259, 70000], [4095, 255], [4096, 1 << 19]] as const) {
    const d = makedev(ma, mi);
    assert.equal(major(d), ma);
    assert.equal(minor(d), mi);
    assert.equal(major(Number(d)), ma);
  }
});

test('xattrs round-trip on a symlink-safe path', (t) => {
  const dir = tmp(t);
  const f = join(dir, 'f');
  writeFileSync(f, 'x');
  lsetxattr(f, 'user.a', Buffer.from([0, 1, 2]));
  lsetxattr(f, 'user.b', 'hello');
  assert.deepEqual(lgetxattr(f, 'user.a'), Buffer.from([0, 1, 2]));
  assert.equal(lgetxattr(f, 'user.b')?.toString(), 'hello');
  assert.equal(lgetxattr(f, 'user.none'), undefined);
  assert.deepEqual(llistxattr(f).filter((n) => n.startsWith('user.')).sort(), ['user.a', 'user.b']);
  lremovexattr(f, 'user.a');
  assert.equal(lgetxattr(f, 'user.a'), undefined);
  assert.throws(() => lremovexattr(f, 'user.a'), (e: NodeJS.ErrnoException) => e.code === 'ENODATA' && e.syscall === 'lremovexattr');
  assert.throws(() => llistxattr(join(dir, 'missing')), { code: 'ENOENT' });
  // A dangling symlink is itself inspected, not followed.
  symlinkSync('/nonexistent', join(dir, 'l'));
  assert.ok(Array.isArray(llistxattr(join(dir, 'l'))));
});

test('mknod creates fifos and, as root, whiteout devices', (t) => {
  const dir = tmp(t);
  mknod(join(dir, 'p'), S_IFIFO | 0o640);
  assert.ok(lstatSync(join(dir, 'p')).isFIFO());
  assert.throws(() => mknod(join(dir, 'p'), S_IFIFO | 0o640), { code: 'EEXIST', syscall: 'mknod' });
  if (!isRoot) return;
  mknod(join(dir, 'wh'), S_IFCHR, makedev(0, 0));
  const st = lstatSync(join(dir, 'wh'));
  assert.ok(st.isCharacterDevice());
  assert.equal(st.rdev, 0);
  mknod(join(dir, 'null'), S_IFCHR | 0o666, makedev(1, 3));
  assert.equal(lstatSync(join(dir, 'null')).rdev, Number(makedev(1, 3)));
});

test('mount and umount2 a tmpfs', { skip: !isRoot }, async (t) => {
  const dir = tmp(t);
  assert.throws(() => mount('none', join(dir, 'missing'), 'tmpfs', 0), { code: 'ENOENT', syscall: 'mount' });
  mount('skiff-test', dir, 'tmpfs', 0, 'size=1m,mode=0755');
  try {
    assert.equal((await statfs(dir)).type, FS_MAGIC.TMPFS);
    writeFileSync(join(dir, 'x'), 'y');
  } finally {
    umount2(dir);
  }
  assert.notEqual((await statfs(dir)).type, FS_MAGIC.TMPFS);
  assert.throws(() => umount2(dir), { code: 'EINVAL' });
});

test('fsMount attaches a tmpfs through the new mount API', { skip: !isRoot || !newMountApi() }, async (t) => {
  const dir = tmp(t);
  fsMount('tmpfs', [['size', '1m'], ['mode', '0700']], dir);
  try {
    assert.equal((await statfs(dir)).type, FS_MAGIC.TMPFS);
    assert.equal(lstatSync(dir).mode & 0o777, 0o700);
  } finally {
    umount2(dir);
  }
  assert.throws(() => fsMount('tmpfs', [['nosuchoption', 'x']], dir), { syscall: 'fsconfig' });
  assert.equal(readFileSync('/proc/self/mountinfo', 'utf8').includes(dir), false);
});
