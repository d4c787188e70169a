/**
 * A faithful recursive copy for the native snapshotter: contents (reflinked where the
 * filesystem can), owners, modes incl. setuid, xattrs incl. security.capability, hardlinks
 * kept as hardlinks, devices and fifos recreated, times preserved (directories last, since
 * filling a directory changes its mtime). Nothing is followed: symlinks are copied as links.
 */
import { constants } from 'node:fs';
import { chmod, copyFile, lchown, link, lstat, lutimes, mkdir, readdir, readlink, symlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { lgetxattr, llistxattr, lsetxattr, mknod, S_IFMT } from '../../sys/index.js';

function copyXattrs(src: string, dst: string): void {
  for (const name of llistxattr(src)) {
    const value = lgetxattr(src, name);
    if (value === undefined) continue;
    try {
      lsetxattr(dst, name, value);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOTSUP' && code !== 'EPERM') throw e;
    }
  }
}

export async function copyTree(src: string, dst: string): Promise<void> {
  const inodes = new Map<string, string>();
  const dirTimes: Array<[string, Date, Date]> = [];
  const copy = async (s: string, d: string): Promise<void> => {
    const st = await lstat(s);
    if (st.isDirectory()) {
      await mkdir(d, { mode: 0o700 });
      for (const name of await readdir(s)) await copy(join(s, name), join(d, name));
    } else {
      if (st.nlink > 1) {
        const key = `${st.dev}:${st.ino}`;
        const first = inodes.get(key);
        if (first !== undefined) { await link(first, d); return; }
        inodes.set(key, d);
      }
      if (st.isFile()) await copyFile(s, d, constants.COPYFILE_FICLONE);
      else if (st.isSymbolicLink()) await symlink(await readlink(s), d);
      else mknod(d, st.mode & (S_IFMT | 0o7777), BigInt(st.rdev));
    }
    await lchown(d, st.uid, st.gid);
    if (!st.isSymbolicLink()) await chmod(d, st.mode & 0o7777);
    copyXattrs(s, d);
    if (st.isDirectory()) dirTimes.push([d, st.atime, st.mtime]);
    else await lutimes(d, st.atime, st.mtime);
  };
  await copy(src, dst);
  for (const [d, atime, mtime] of dirTimes.reverse()) await utimes(d, atime, mtime);
}
