/**
 * The size of a volume's contents as Docker's `system df -v` reports it (moby's directory.Size):
 * the apparent byte size of every non-directory entry — files, symlinks (their target's length),
 * each inode once so hardlinks count once — which is `du -sb` without the directories' own
 * sizes. Entries that vanish while walking are skipped, as they would be by du.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

function gone(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export async function directorySize(dir: string): Promise<number> {
  const seen = new Set<bigint>();
  let size = 0;
  const walk = async (path: string): Promise<void> => {
    let st;
    try {
      st = await lstat(path, { bigint: true });
    } catch (e) {
      if (gone(e)) return;
      throw e;
    }
    if (st.isDirectory()) {
      let names: string[];
      try {
        names = await readdir(path);
      } catch (e) {
        if (gone(e)) return;
        throw e;
      }
      for (const name of names) await walk(join(path, name));
      return;
    }
    if (st.size === 0n || seen.has(st.ino)) return;
    seen.add(st.ino);
    size += Number(st.size);
  };
  await walk(dir);
  return size;
}
