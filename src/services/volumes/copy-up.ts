/**
 * Copy-up: the first time an empty volume is mounted over a directory the image fills, the
 * image's content at that path is copied into the volume (Docker's populateVolume), so `-v
 * data:/var/lib/app` starts out with what the image put in /var/lib/app. The copy keeps owners,
 * modes, xattrs and symlinks (the native snapshotter's faithful copy), and the volume's root
 * takes the image directory's owner and mode. The path is resolved inside the image root,
 * following its symlinks as the container would see them, never out of it.
 */
import { chmod, chown, lstat, readdir, readlink, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { copyTree } from '../../containerd/snapshots/copy.js';

const MAX_LINKS = 255;

/** `path` resolved under `root` with symlinks re-rooted at `root`; undefined when missing. */
export async function resolveInRoot(root: string, path: string): Promise<string | undefined> {
  const todo = path.split('/').filter((c) => c !== '' && c !== '.');
  let done: string[] = [];
  let links = 0;
  while (todo.length > 0) {
    const c = todo.shift()!;
    if (c === '..') {
      done.pop();
      continue;
    }
    const p = join(root, ...done, c);
    let st;
    try {
      st = await lstat(p);
    } catch {
      return undefined;
    }
    if (!st.isSymbolicLink()) {
      done.push(c);
      continue;
    }
    if (++links > MAX_LINKS) return undefined;
    const target = await readlink(p);
    if (target.startsWith('/')) done = [];
    todo.unshift(...target.split('/').filter((x) => x !== '' && x !== '.'));
  }
  return join(root, ...done);
}

/**
 * Copies the image's content at `dest` into `volumeDataDir` when the volume is empty and the
 * image has a directory there. Returns whether anything was copied.
 */
export async function copyUp(imageRootfsPath: string, dest: string, volumeDataDir: string): Promise<boolean> {
  if ((await readdir(volumeDataDir)).length > 0) return false;
  const source = await resolveInRoot(imageRootfsPath, dest);
  if (source === undefined) return false;
  const st = await stat(source);
  if (!st.isDirectory()) return false;
  for (const name of await readdir(source)) await copyTree(join(source, name), join(volumeDataDir, name));
  await chown(volumeDataDir, st.uid, st.gid);
  await chmod(volumeDataDir, st.mode & 0o7777);
  return true;
}
