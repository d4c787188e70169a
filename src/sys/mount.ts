/**
 * mount(2) and umount2(2). Node has neither; the daemon needs them for rootfs overlays, bind
 * mounts of snapshots and volumes. Flags are the kernel's MS_* bits; `data` is the
 * filesystem-specific option string (for overlay: lowerdir=…,upperdir=…,workdir=…). The kernel
 * copies at most one page of `data`, which is why long overlay chains need fsmount.ts instead.
 */
import { check, lazyFunc } from './libc.js';

export const MS = {
  RDONLY: 0x1,
  NOSUID: 0x2,
  NODEV: 0x4,
  NOEXEC: 0x8,
  SYNCHRONOUS: 0x10,
  REMOUNT: 0x20,
  MANDLOCK: 0x40,
  DIRSYNC: 0x80,
  NOSYMFOLLOW: 0x100,
  NOATIME: 0x400,
  NODIRATIME: 0x800,
  BIND: 0x1000,
  MOVE: 0x2000,
  REC: 0x4000,
  SILENT: 0x8000,
  POSIXACL: 0x10000,
  UNBINDABLE: 0x20000,
  PRIVATE: 0x40000,
  SLAVE: 0x80000,
  SHARED: 0x100000,
  RELATIME: 0x200000,
  STRICTATIME: 0x1000000,
  LAZYTIME: 0x2000000,
} as const;

/** umount2 flags. */
export const MNT = {
  FORCE: 0x1,
  DETACH: 0x2,
  EXPIRE: 0x4,
  UMOUNT_NOFOLLOW: 0x8,
} as const;

const mountFn = lazyFunc(
  'int mount(const char *source, const char *target, const char *fstype, unsigned long flags, const char *data)',
);
const umount2Fn = lazyFunc('int umount2(const char *target, int flags)');

/** mount(2). `source`/`fstype`/`data` may be null, as for a remount or a propagation change. */
export function mount(
  source: string | null,
  target: string,
  fstype: string | null,
  flags: number,
  data: string | null = null,
): void {
  check(mountFn()(source, target, fstype, flags, data), 'mount', source ?? 'none', target);
}

/** umount2(2); flags from MNT (MNT.DETACH for a lazy unmount). */
export function umount2(target: string, flags = 0): void {
  check(umount2Fn()(target, flags), 'umount2', target);
}
