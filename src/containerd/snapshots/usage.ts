/**
 * Disk usage of a snapshot directory, counted like `du`: allocated blocks, each inode once
 * (hardlinks share), without crossing into mounts below it.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Usage } from './index.js';

export async function diskUsage(dir: string): Promise<Usage> {
  const seen = new Set<number>();
  let size = 0;
  const top = await lstat(dir, { bigint: false });
  const walk = async (p: string, dev: number): Promise<void> => {
    const st = await lstat(p);
    if (st.dev !== dev) return;
    if (!seen.has(st.ino)) {
      seen.add(st.ino);
      size += st.blocks * 512;
    }
    if (st.isDirectory()) {
      for (const name of await readdir(p)) await walk(join(p, name), dev);
    }
  };
  await walk(dir, top.dev);
  return { size, inodes: seen.size };
}
