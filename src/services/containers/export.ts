/**
 * A container's filesystem as a tar stream: `docker export` (the whole rootfs) and the tree
 * walker that `docker cp` out of a container also uses. Also how the service reaches a
 * container's files at all: a running container through `/proc/<pid>/root` (its own mount
 * namespace, so volumes are included), a stopped one by mounting its snapshot on a temporary
 * directory that is always unmounted and removed afterwards.
 *
 * Trees are walked with lstat and never follow a symlink; files are opened with O_NOFOLLOW.
 * Output is streamed entry by entry with the writer's backpressure.
 */
import { constants, type Stats } from 'node:fs';
import { lstat, mkdtemp, open, readdir, readlink, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { mountAll, unmountAll } from '../../containerd/snapshots/index.js';
import { TarWriter } from '../../containerd/archive/tar/index.js';
import type { TarWriteEntry } from '../../containerd/archive/tar/index.js';
import { lgetxattr, llistxattr, major, minor } from '../../sys/index.js';
import type { ContainersService } from './service.js';
import { isRunning, type ContainerRecord } from './record.js';
import { rootfsDir } from './start.js';

export interface RootfsLease {
  /** Host path of the container's `/`. */
  root: string;
  running: boolean;
  release(): Promise<void>;
}

/** The container's root as the host can reach it; `release` must always be called. */
export async function openRootfs(svc: ContainersService, rec: ContainerRecord, opts: { viaProc?: boolean } = {}): Promise<RootfsLease> {
  if ((opts.viaProc ?? true) && rec.State.Pid > 0 && (rec.State.Status === 'running' || rec.State.Status === 'paused')) {
    return { root: `/proc/${rec.State.Pid}/root`, running: true, release: async () => undefined };
  }
  // A running container's snapshot is already mounted (without its volumes) where start put it;
  // a second overlay mount of an upperdir in use is what the kernel warns against.
  if (rec.State.Pid > 0 && isRunning(rec)) return { root: rootfsDir(svc.deps, rec.Id), running: true, release: async () => undefined };
  const dir = await mkdtemp(join(svc.deps.execRoot, 'rootfs-'));
  try {
    mountAll(await svc.deps.snapshots.mounts(rec.SnapshotKey), dir);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    root: dir, running: false,
    async release() {
      try { unmountAll(dir); } finally { await rm(dir, { recursive: true, force: true }); }
    },
  };
}

function xattrsOf(path: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  try {
    for (const name of llistxattr(path)) {
      const v = lgetxattr(path, name);
      if (v !== undefined) out.set(name, v);
    }
  } catch { /* filesystems without xattrs */ }
  return out;
}

/** Exactly `size` bytes of a file: a file that shrank meanwhile is padded, one that grew is cut. */
async function* fileBody(path: string, st: Stats): AsyncGenerator<Uint8Array> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    let left = st.size;
    const buf = Buffer.alloc(1 << 16);
    while (left > 0) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, left), null);
      if (bytesRead === 0) break;
      left -= bytesRead;
      yield Buffer.from(buf.subarray(0, bytesRead));
    }
    if (left > 0) yield Buffer.alloc(left);
  } finally {
    await fh.close();
  }
}

export interface TreeOptions {
  /** Directories whose device is listed are written but not entered (a running container's /proc, /sys). */
  skipDevs?: Set<number>;
}

/** Writes `path` (named `name` in the archive) and, for a directory, everything below it. */
export async function writeTree(tar: TarWriter, path: string, name: string, opts: TreeOptions = {}): Promise<void> {
  const links = new Map<string, string>();
  const walk = async (p: string, n: string): Promise<void> => {
    const st = await lstat(p);
    const base: TarWriteEntry = {
      name: n, type: 'file', mode: st.mode & 0o7777, uid: st.uid, gid: st.gid,
      mtime: Math.floor(st.mtimeMs / 1000), xattrs: xattrsOf(p),
    };
    if (st.isDirectory()) {
      await tar.add({ ...base, type: 'directory' });
      if (opts.skipDevs?.has(st.dev)) return;
      for (const child of (await readdir(p)).sort()) await walk(join(p, child), n === '.' ? `./${child}` : `${n.replace(/\/+$/, '')}/${child}`);
      return;
    }
    if (st.isSymbolicLink()) return tar.add({ ...base, type: 'symlink', linkname: await readlink(p) });
    if (st.isCharacterDevice() || st.isBlockDevice()) {
      return tar.add({ ...base, type: st.isBlockDevice() ? 'block-device' : 'character-device', devmajor: major(st.rdev), devminor: minor(st.rdev) });
    }
    if (st.isFIFO()) return tar.add({ ...base, type: 'fifo' });
    if (!st.isFile()) return; // sockets cannot be archived
    if (st.nlink > 1) {
      const key = `${st.dev}:${st.ino}`;
      const first = links.get(key);
      if (first !== undefined) return tar.add({ ...base, type: 'link', linkname: first, xattrs: new Map() });
      links.set(key, n);
    }
    await tar.add({ ...base, size: st.size }, fileBody(p, st));
  };
  await walk(path, name);
}

/** Devices of the pseudo filesystems a running container has mounted: never archived. */
export async function pseudoDevs(root: string): Promise<Set<number>> {
  const rootDev = (await lstat(root)).dev;
  const out = new Set<number>();
  for (const p of ['proc', 'sys', 'sys/fs/cgroup', 'dev/pts', 'dev/mqueue']) {
    const st = await lstat(join(root, p)).catch(() => undefined);
    if (st?.isDirectory() && st.dev !== rootDev) out.add(st.dev);
  }
  return out;
}

/**
 * `docker export`: the container's rootfs (without its volumes, as Docker) from its snapshot.
 * `begin` is called once the filesystem is reachable and returns the response stream; errors
 * before that propagate, errors after it end the stream early.
 */
export async function exportContainer(svc: ContainersService, ref: string, begin: () => Writable): Promise<void> {
  const rec = svc.get(ref);
  const lease = await openRootfs(svc, rec, { viaProc: false });
  try {
    const out = begin();
    const tar = new TarWriter(out);
    try {
      const root = await readdir(lease.root);
      for (const child of root.sort()) await writeTree(tar, join(lease.root, child), child);
      await tar.finish();
    } catch (e) {
      out.destroy(e as Error);
    }
  } finally {
    await lease.release().catch((e) => svc.deps.log('warn', `export of ${rec.Id}: unmounting: ${(e as Error).message}`));
  }
}
