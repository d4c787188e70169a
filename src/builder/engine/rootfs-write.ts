/**
 * Writing COPY/ADD results into a mounted rootfs. Paths inside the rootfs are resolved with the
 * rootfs as `/` (absolute symlinks included), so an image cannot redirect a copy outside it.
 * Copied entries keep their modes and times, are owned by the `--chown` user (root by default)
 * and take the `--chmod` mode when given; directories made on the way are 0755.
 */
import { createReadStream } from 'node:fs';
import { chmod, copyFile, lchown, lstat, lutimes, mkdir, readFile, readdir, readlink, symlink, rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { invalidArgument } from '../../common/errors.js';
import { applyLayer, decompress } from '../../containerd/archive/index.js';

export interface Ownership {
  uid: number;
  gid: number;
  /** `--chmod`, or undefined to keep the source's mode. */
  mode?: number;
}

/** The real path of `p` (absolute, in-rootfs) with symlinks resolved inside `root`; the last component is not followed. */
export async function scopedPath(root: string, p: string, followLast = false): Promise<string> {
  const parts = posix.normalize(`/${p}`).split('/').filter(Boolean);
  const done: string[] = [];
  let links = 0;
  while (parts.length) {
    const c = parts.shift()!;
    if (c === '.') continue;
    if (c === '..') { done.pop(); continue; }
    const abs = join(root, ...done, c);
    let st;
    try { st = await lstat(abs); } catch { done.push(c); continue; }
    if (st.isSymbolicLink() && (parts.length > 0 || followLast)) {
      if (++links > 40) throw invalidArgument(`too many levels of symbolic links: ${p}`);
      const target = await readlink(abs);
      if (target.startsWith('/')) done.length = 0;
      parts.unshift(...target.split('/'));
      continue;
    }
    done.push(c);
  }
  return join(root, ...done);
}

/** `mkdir -p` inside the rootfs; new directories get `own` (Docker chowns the ones it creates). */
export async function mkdirAll(root: string, p: string, own: Ownership = { uid: 0, gid: 0 }): Promise<string> {
  const parts = posix.normalize(`/${p}`).split('/').filter(Boolean);
  let cur = '/';
  for (const c of parts) {
    cur = posix.join(cur, c);
    const real = await scopedPath(root, cur, true);
    const st = await lstat(real).catch(() => undefined);
    if (st?.isDirectory()) continue;
    if (st) throw invalidArgument(`mkdir ${cur}: not a directory`);
    await mkdir(real, { mode: 0o755 });
    await lchown(real, own.uid, own.gid);
  }
  return scopedPath(root, p, true);
}

/** Copies one entry (recursively for directories) to the real path `to`. */
export async function copyEntry(from: string, to: string, own: Ownership): Promise<void> {
  const st = await lstat(from);
  const existing = await lstat(to).catch(() => undefined);
  if (st.isDirectory()) {
    if (existing && !existing.isDirectory()) await rm(to, { force: true });
    if (!existing?.isDirectory()) await mkdir(to);
    for (const c of await readdir(from)) await copyEntry(join(from, c), join(to, c), own);
    await lchown(to, own.uid, own.gid);
    await chmod(to, own.mode ?? st.mode & 0o7777);
  } else {
    if (existing?.isDirectory()) await rm(to, { recursive: true, force: true });
    else if (existing) await rm(to, { force: true });
    if (st.isSymbolicLink()) {
      await symlink(await readlink(from), to);
      await lchown(to, own.uid, own.gid);
    } else {
      await copyFile(from, to);
      await lchown(to, own.uid, own.gid);
      await chmod(to, own.mode ?? st.mode & 0o7777);
    }
  }
  await lutimes(to, st.atime, st.mtime);
}

/**
 * ADD of a local archive: unpacked into `dest` (made 0755, root-owned, when missing). Docker's
 * untar skips the archive's own `.` entry when the destination exists, so `dest` keeps its
 * owner and mode.
 */
export async function unpackArchive(root: string, dest: string, archive: string): Promise<void> {
  const dir = await mkdirAll(root, dest);
  const st = await lstat(dir);
  await applyLayer(dir, decompress(createReadStream(archive)));
  await lchown(dir, st.uid, st.gid);
  await chmod(dir, st.mode & 0o7777);
}

function lookup(text: string | undefined, name: string, field: number): number | undefined {
  for (const line of (text ?? '').split('\n')) {
    const f = line.split(':');
    if (f[0] === name && f[field] !== undefined) return Number(f[field]);
  }
  return undefined;
}

/** `--chown=user[:group]` resolved against the rootfs' /etc/passwd and /etc/group. */
export async function resolveChown(root: string, spec: string): Promise<{ uid: number; gid: number }> {
  if (!spec) return { uid: 0, gid: 0 };
  const [user, group] = spec.split(':', 2) as [string, string | undefined];
  const read = async (f: string) => readFile(await scopedPath(root, f, true), 'utf8').catch(() => undefined);
  const passwd = /^\d+$/.test(user) ? undefined : await read('/etc/passwd');
  const uid = /^\d+$/.test(user) ? Number(user) : lookup(passwd, user, 2);
  if (uid === undefined) throw invalidArgument(`unable to convert uid/gid chown string to host mapping: can't find uid for user ${user}: no such user: ${user}`);
  // Without a group, Docker looks the user's name up as a group name too (not the user's primary group).
  const grp = group ?? user;
  const gid = /^\d+$/.test(grp) ? Number(grp) : lookup(await read('/etc/group'), grp, 2);
  if (gid === undefined) throw invalidArgument(`unable to convert uid/gid chown string to host mapping: can't find gid for group ${grp}: no such group: ${grp}`);
  return { uid, gid };
}

export function parseChmod(spec: string): number | undefined {
  if (!spec) return undefined;
  if (!/^[0-7]{1,4}$/.test(spec)) throw invalidArgument(`invalid chmod parameter: ${spec}`);
  return parseInt(spec, 8);
}
