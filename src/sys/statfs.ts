/**
 * Filesystem type detection. Node's fs.statfs already returns f_type, so no FFI is needed; this
 * module names the magic numbers we branch on (overlay cannot be an overlay upperdir, tmpfs
 * lacks trusted xattrs in old kernels, …).
 */
import { statfs as statfsAsync } from 'node:fs/promises';
import { statfsSync as nodeStatfsSync } from 'node:fs';

/** f_type values from <linux/magic.h>. */
export const FS_MAGIC = {
  OVERLAYFS: 0x794c7630,
  TMPFS: 0x01021994,
  EXT4: 0xef53,
  XFS: 0x58465342,
  BTRFS: 0x9123683e,
  ZFS: 0x2fc12fc1,
  NFS: 0x6969,
  PROC: 0x9fa0,
  SYSFS: 0x62656572,
} as const;

export interface StatFs {
  type: number;
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
}

/** statfs(2) of the filesystem holding `path`. */
export async function statfs(path: string): Promise<StatFs> {
  const s = await statfsAsync(path);
  return { type: s.type, bsize: s.bsize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail, files: s.files, ffree: s.ffree };
}

export function statfsSync(path: string): StatFs {
  const s = nodeStatfsSync(path);
  return { type: s.type, bsize: s.bsize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail, files: s.files, ffree: s.ffree };
}

/** True when `path` lives on overlayfs (an overlay upperdir cannot itself be on overlay). */
export async function isOverlayFs(path: string): Promise<boolean> {
  return (await statfs(path)).type === FS_MAGIC.OVERLAYFS;
}
