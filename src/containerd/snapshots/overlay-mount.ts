/**
 * Mounting an overlay whose lowerdir chain may be long. mount(2) copies one page of option
 * data, so about 4096 bytes of "lowerdir=/a/fs:/b/fs:…" — a few dozen absolute paths. Beyond
 * that, in order of preference:
 *   1. the new mount API, appending one lower per fsconfig("lowerdir+") call (Linux 6.8+),
 *      which has no overall limit;
 *   2. containerd's trick: chdir to the lowers' common parent and name them relatively
 *      ("12/fs:11/fs:…"), which snapshot dirs numbered under one parent keep short. The cwd is
 *      process-wide, so the chdir–mount–chdir runs synchronously: no other JavaScript can run
 *      in between, and the daemon never hands relative paths to the libuv thread pool.
 */
import { dirname, relative } from 'node:path';
import { fsMount, hasCode, mount, MOUNT_ATTR, MS, newMountApi } from '../../sys/index.js';
import type { FsParam } from '../../sys/index.js';
import { invalidArgument } from '../../common/errors.js';

/** Room for the option string in one page, less the terminating NUL. */
const MAX_DATA = 4095;

export type OverlayStrategy = 'auto' | 'fsconfig' | 'chdir';

function attrFlags(flags: number): number {
  let attr = 0;
  if (flags & MS.RDONLY) attr |= MOUNT_ATTR.RDONLY;
  if (flags & MS.NOSUID) attr |= MOUNT_ATTR.NOSUID;
  if (flags & MS.NODEV) attr |= MOUNT_ATTR.NODEV;
  if (flags & MS.NOEXEC) attr |= MOUNT_ATTR.NOEXEC;
  if (flags & MS.NOATIME) attr |= MOUNT_ATTR.NOATIME;
  return attr;
}

function commonParent(paths: readonly string[]): string {
  let common = dirname(paths[0]!);
  while (!paths.every((p) => p.startsWith(common === '/' ? '/' : `${common}/`))) common = dirname(common);
  return common;
}

function viaFsconfig(others: readonly string[], lowers: readonly string[], flags: number, target: string): boolean {
  if (!newMountApi()) return false;
  const params: FsParam[] = others.map((o) => {
    const eq = o.indexOf('=');
    return eq === -1 ? [o] : [o.slice(0, eq), o.slice(eq + 1)];
  });
  for (const l of lowers) params.push(['lowerdir+', l]);
  try {
    fsMount('overlay', params, target, attrFlags(flags));
    return true;
  } catch (e) {
    // No new mount API in this kernel, or no "lowerdir+" before Linux 6.8: fall back.
    const path = (e as NodeJS.ErrnoException).path ?? '';
    if (hasCode(e, 'ENOSYS') || (hasCode(e, 'EINVAL') && path.startsWith('lowerdir+'))) return false;
    throw e;
  }
}

function viaChdir(others: readonly string[], lowers: readonly string[], flags: number, target: string): void {
  const base = commonParent(lowers);
  const data = [...others, `lowerdir=${lowers.map((l) => relative(base, l)).join(':')}`].join(',');
  if (Buffer.byteLength(data) > MAX_DATA) {
    throw invalidArgument(`overlay of ${lowers.length} layers does not fit in one mount call on this kernel`);
  }
  const cwd = process.cwd();
  process.chdir(base);
  try {
    mount('overlay', target, 'overlay', flags, data);
  } finally {
    process.chdir(cwd);
  }
}

/** Mounts overlay with `data` options (one of them lowerdir=…) on `target`. */
export function mountOverlay(data: readonly string[], flags: number, target: string, strategy: OverlayStrategy = 'auto'): void {
  const joined = data.join(',');
  if (strategy === 'auto' && Buffer.byteLength(joined) <= MAX_DATA) {
    mount('overlay', target, 'overlay', flags, joined);
    return;
  }
  const lowerOpt = data.find((o) => o.startsWith('lowerdir='));
  if (!lowerOpt) throw invalidArgument('overlay mount without lowerdir');
  const lowers = lowerOpt.slice('lowerdir='.length).split(':');
  const others = data.filter((o) => o !== lowerOpt);
  if (strategy !== 'chdir' && viaFsconfig(others, lowers, flags, target)) return;
  if (strategy === 'fsconfig') throw invalidArgument('the kernel cannot append overlay lower layers (lowerdir+)');
  viaChdir(others, lowers, flags, target);
}
