/**
 * The new mount API (fsopen/fsconfig/fsmount/move_mount, Linux 5.2+, glibc 2.36+). It matters for
 * overlayfs: mount(2) takes all options in one page, which caps a lowerdir chain at a few dozen
 * absolute paths, while fsconfig can append one lower layer per call ("lowerdir+", Linux 6.8+) with
 * no overall limit. Callers probe `newMountApi()` and fall back to mount(2) when it is missing.
 */
import { closeSync } from 'node:fs';
import { check, optionalFunc } from './libc.js';

const FSOPEN_CLOEXEC = 0x1;
const FSMOUNT_CLOEXEC = 0x1;
const FSCONFIG_SET_FLAG = 0;
const FSCONFIG_SET_STRING = 1;
const FSCONFIG_CMD_CREATE = 6;
const MOVE_MOUNT_F_EMPTY_PATH = 0x4;
const AT_FDCWD = -100;

/** Per-mount attributes for fsmount (MOUNT_ATTR_*). */
export const MOUNT_ATTR = {
  RDONLY: 0x1,
  NOSUID: 0x2,
  NODEV: 0x4,
  NOEXEC: 0x8,
  NOATIME: 0x10,
  STRICTATIME: 0x20,
  NODIRATIME: 0x80,
} as const;

const fsopenFn = optionalFunc('int fsopen(const char *fsname, unsigned int flags)');
const fsconfigFn = optionalFunc(
  'int fsconfig(int fd, unsigned int cmd, const char *key, const char *value, int aux)',
);
const fsmountFn = optionalFunc('int fsmount(int fd, unsigned int flags, unsigned int attrFlags)');
const moveMountFn = optionalFunc(
  'int move_mount(int fromDfd, const char *fromPath, int toDfd, const char *toPath, unsigned int flags)',
);

/** True when this libc exposes the new mount API (the kernel may still answer ENOSYS). */
export function newMountApi(): boolean {
  return !!(fsopenFn() && fsconfigFn() && fsmountFn() && moveMountFn());
}

/** A filesystem parameter: a flag (value undefined) or a string option; repeated keys allowed. */
export type FsParam = readonly [key: string, value?: string];

/**
 * Creates a filesystem of `fstype` configured by `params` and attaches it at `target`.
 * Throws the errno error of the first failing step (syscall named fsopen/fsconfig/…).
 */
export function fsMount(fstype: string, params: readonly FsParam[], target: string, attrFlags = 0): void {
  const fsopen = fsopenFn();
  const fsconfig = fsconfigFn();
  const fsmount = fsmountFn();
  const moveMount = moveMountFn();
  if (!fsopen || !fsconfig || !fsmount || !moveMount) {
    const err = new Error('the new mount API is not available in this libc') as NodeJS.ErrnoException;
    err.code = 'ENOSYS';
    throw err;
  }
  const fsfd = check(fsopen(fstype, FSOPEN_CLOEXEC), 'fsopen', fstype);
  try {
    for (const [key, value] of params) {
      const ret = value === undefined
        ? fsconfig(fsfd, FSCONFIG_SET_FLAG, key, null, 0)
        : fsconfig(fsfd, FSCONFIG_SET_STRING, key, value, 0);
      check(ret, 'fsconfig', value === undefined ? key : `${key}=${value}`);
    }
    check(fsconfig(fsfd, FSCONFIG_CMD_CREATE, null, null, 0), 'fsconfig', `${fstype} create`);
    const mfd = check(fsmount(fsfd, FSMOUNT_CLOEXEC, attrFlags), 'fsmount', fstype);
    try {
      check(moveMount(mfd, '', AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH), 'move_mount', target);
    } finally {
      closeSync(mfd);
    }
  } finally {
    closeSync(fsfd);
  }
}
