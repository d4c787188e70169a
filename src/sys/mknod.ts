/**
 * mknod(2) for device nodes, fifos and overlayfs whiteouts (a 0/0 character device), plus the
 * glibc encoding of device numbers: dev_t packs major and minor split across high and low bits,
 * so makedev/major/minor must match glibc's <sys/sysmacros.h> exactly.
 */
import { check, lazyFunc } from './libc.js';

export const S_IFMT = 0o170000;
export const S_IFIFO = 0o010000;
export const S_IFCHR = 0o020000;
export const S_IFDIR = 0o040000;
export const S_IFBLK = 0o060000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;
export const S_IFSOCK = 0o140000;

const mknodFn = lazyFunc('int mknod(const char *path, uint32_t mode, uint64_t dev)');

/** glibc's makedev(). */
export function makedev(major: number, minor: number): bigint {
  const ma = BigInt(major >>> 0);
  const mi = BigInt(minor >>> 0);
  return ((ma & 0xfffff000n) << 32n) | ((ma & 0xfffn) << 8n) | ((mi & 0xffffff00n) << 12n) | (mi & 0xffn);
}

/** glibc's major(); accepts stat's `rdev` as a number or bigint. */
export function major(dev: number | bigint): number {
  const d = BigInt(dev);
  return Number(((d >> 8n) & 0xfffn) | ((d >> 32n) & 0xfffff000n));
}

/** glibc's minor(). */
export function minor(dev: number | bigint): number {
  const d = BigInt(dev);
  return Number((d & 0xffn) | ((d >> 12n) & 0xffffff00n));
}

/** mknod(2): `mode` carries the file type (S_IFCHR, S_IFBLK, S_IFIFO) and permission bits. */
export function mknod(path: string, mode: number, dev: bigint = 0n): void {
  check(mknodFn()(path, mode, dev), 'mknod', path);
}
