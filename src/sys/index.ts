/**
 * Daemon-side syscalls that Node lacks, one typed function per syscall, each throwing a
 * node:fs-shaped errno error. libc is loaded on first use, never at import.
 */
export { errnoCode, errnoMessage, sysError, hasCode } from './errno.js';
export type { SysError } from './errno.js';
export { mount, umount2, MS, MNT } from './mount.js';
export { fsMount, newMountApi, MOUNT_ATTR } from './fsmount.js';
export type { FsParam } from './fsmount.js';
export { mknod, makedev, major, minor, S_IFMT, S_IFIFO, S_IFCHR, S_IFDIR, S_IFBLK, S_IFREG, S_IFLNK, S_IFSOCK } from './mknod.js';
export { lsetxattr, lgetxattr, llistxattr, lremovexattr, XATTR_CREATE, XATTR_REPLACE } from './xattr.js';
export { statfs, statfsSync, isOverlayFs, FS_MAGIC } from './statfs.js';
export type { StatFs } from './statfs.js';
