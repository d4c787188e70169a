/**
 * Extended attributes on a path without following a final symlink (the l* variants), which is
 * what layer unpacking and diffing need: an image's symlink may carry xattrs of its own and must
 * never lead us to the file it points at. Values are raw bytes (security.capability is binary).
 */
import { check, lastErrno, lazyFunc } from './libc.js';
import { errnoCode, sysError } from './errno.js';

export const XATTR_CREATE = 0x1;
export const XATTR_REPLACE = 0x2;

const lsetxattrFn = lazyFunc(
  'int lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags)',
);
const lgetxattrFn = lazyFunc('long lgetxattr(const char *path, const char *name, void *value, size_t size)');
const llistxattrFn = lazyFunc('long llistxattr(const char *path, void *list, size_t size)');
const lremovexattrFn = lazyFunc('int lremovexattr(const char *path, const char *name)');

/** lsetxattr(2). */
export function lsetxattr(path: string, name: string, value: Uint8Array | string, flags = 0): void {
  const buf = typeof value === 'string' ? Buffer.from(value) : value;
  check(lsetxattrFn()(path, name, buf, buf.length, flags), 'lsetxattr', path);
}

/**
 * lgetxattr(2). An absent attribute (ENODATA) is an answer, not a failure: it returns undefined.
 * The size is asked first; a value that grows in between (ERANGE) is read again.
 */
export function lgetxattr(path: string, name: string): Buffer | undefined {
  for (;;) {
    const size = Number(lgetxattrFn()(path, name, null, 0));
    if (size < 0) {
      const errno = lastErrno();
      if (errnoCode(errno) === 'ENODATA') return undefined;
      throw sysError(errno, 'lgetxattr', path);
    }
    const buf = Buffer.alloc(size);
    if (size === 0) return buf;
    const got = Number(lgetxattrFn()(path, name, buf, size));
    if (got >= 0) return buf.subarray(0, got);
    const errno = lastErrno();
    if (errnoCode(errno) === 'ERANGE') continue;
    if (errnoCode(errno) === 'ENODATA') return undefined;
    throw sysError(errno, 'lgetxattr', path);
  }
}

/** llistxattr(2): attribute names, in the order the filesystem returns them. */
export function llistxattr(path: string): string[] {
  for (;;) {
    const size = check(llistxattrFn()(path, null, 0), 'llistxattr', path);
    if (size === 0) return [];
    const buf = Buffer.alloc(size);
    const got = Number(llistxattrFn()(path, buf, size));
    if (got < 0) {
      const errno = lastErrno();
      if (errnoCode(errno) === 'ERANGE') continue;
      throw sysError(errno, 'llistxattr', path);
    }
    return buf.subarray(0, got).toString('latin1').split('\0').filter((n) => n.length > 0);
  }
}

/** lremovexattr(2). */
export function lremovexattr(path: string, name: string): void {
  check(lremovexattrFn()(path, name), 'lremovexattr', path);
}
