/**
 * `docker cp`: stat a path in a container (HEAD), archive it (GET), extract a tar into a
 * directory of it (PUT) — moby's daemon/archive*.go semantics over the container's root as
 * export.ts reaches it (running: /proc/<pid>/root with its volumes; stopped: its snapshot).
 *
 * Container paths are resolved as if chrooted: one component at a time with lstat, an absolute
 * link target restarts at the container's root, `..` stops at the root. The last component is
 * not followed unless the path ends in `/` or `/.` (so a symlink is copied as a symlink, as
 * Docker does); its fully resolved target is reported as `linkTarget`, which the CLI follows.
 */
import { chmod, lchown, link, lstat, lutimes, mkdir, open, readlink, rm, symlink, utimes } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join, posix } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { EngineError, invalidArgument } from '../../common/errors.js';
import { readTar, TarWriter } from '../../containerd/archive/tar/index.js';
import type { TarHeader } from '../../containerd/archive/tar/index.js';
import { entryComponents, RootResolver } from '../../containerd/archive/path.js';
import { lsetxattr, makedev, mknod, S_IFBLK, S_IFCHR, S_IFIFO } from '../../sys/index.js';
import type { ContainersService } from './service.js';
import { openRootfs, pseudoDevs, writeTree } from './export.js';

/** moby's types.ContainerPathStat; `mode` is a Go os.FileMode. */
export interface ContainerPathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

const MODE = { dir: 2 ** 31, symlink: 2 ** 27, device: 2 ** 26, pipe: 2 ** 25, socket: 2 ** 24, setuid: 2 ** 23, setgid: 2 ** 22, char: 2 ** 21, sticky: 2 ** 20 };

/** Node's st_mode → Go's os.FileMode bits, from which the docker CLI tells files from dirs. */
export function goFileMode(st: Pick<Stats, 'mode' | 'isDirectory' | 'isSymbolicLink' | 'isFIFO' | 'isSocket' | 'isBlockDevice' | 'isCharacterDevice'>): number {
  let m = st.mode & 0o777;
  if (st.isDirectory()) m += MODE.dir;
  else if (st.isSymbolicLink()) m += MODE.symlink;
  else if (st.isFIFO()) m += MODE.pipe;
  else if (st.isSocket()) m += MODE.socket;
  else if (st.isBlockDevice()) m += MODE.device;
  else if (st.isCharacterDevice()) m += MODE.device + MODE.char;
  if (st.mode & 0o4000) m += MODE.setuid;
  if (st.mode & 0o2000) m += MODE.setgid;
  if (st.mode & 0o1000) m += MODE.sticky;
  return m;
}

export interface ParsedPath {
  /** Components of the cleaned absolute path (`..` clamped at `/`). */
  parts: string[];
  /** The path ended in `/` or `/.`: resolve the last component too. */
  followLast: boolean;
  /** The stat's name and the archive's top entry: the base the user asked for. */
  name: string;
}

export function parseContainerPath(path: string): ParsedPath {
  if (path === '') throw invalidArgument('path cannot be empty');
  if (path.includes('\0')) throw invalidArgument('path contains a NUL byte');
  const parts = posix.normalize(`/${path}`).split('/').filter((c) => c !== '' && c !== '.');
  const dot = path === '.' || path.endsWith('/.');
  const followLast = dot || path.endsWith('/') || parts.length === 0;
  return { parts, followLast, name: dot ? '.' : parts.length ? parts.at(-1)! : '/' };
}

const MAX_LINKS = 255;

/**
 * Resolves `parts` under `root` as the kernel would inside a chroot at `root`. Missing
 * components are kept as they are (the caller's lstat reports them). Returns the host path and
 * the path inside the container.
 */
export async function resolveInRoot(root: string, parts: readonly string[]): Promise<{ host: string; inContainer: string }> {
  const stack: string[] = [];
  const queue = [...parts];
  let links = 0;
  while (queue.length) {
    const c = queue.shift()!;
    if (c === '' || c === '.') continue;
    if (c === '..') { stack.pop(); continue; }
    const p = join(root, ...stack, c);
    const st = await lstat(p).catch(() => undefined);
    if (!st?.isSymbolicLink()) {
      stack.push(c);
      if (!st) { stack.push(...queue); break; }
      continue;
    }
    if (++links > MAX_LINKS) throw invalidArgument(`too many links while resolving ${posix.join('/', ...parts)}`);
    const target = await readlink(p);
    if (target.startsWith('/')) stack.length = 0;
    queue.unshift(...target.split('/'));
  }
  return { host: join(root, ...stack), inContainer: posix.join('/', ...stack) };
}

function fileNotFound(path: string, ref: string): EngineError {
  return new EngineError('not-found', `Could not find the file ${path} in container ${ref}`);
}

/** Resolves and lstats `path` in `root`: what HEAD and GET share. */
async function locate(root: string, path: string, ref: string): Promise<{ host: string; stat: ContainerPathStat; st: Stats }> {
  const p = parseContainerPath(path);
  const dir = await resolveInRoot(root, p.followLast ? p.parts : p.parts.slice(0, -1));
  const host = p.followLast ? dir.host : join(dir.host, p.parts.at(-1)!);
  let st: Stats;
  try {
    st = await lstat(host);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw fileNotFound(path, ref);
    throw e;
  }
  const linkTarget = st.isSymbolicLink() ? (await resolveInRoot(root, p.parts)).inContainer : '';
  return { host, st, stat: { name: p.name, size: st.size, mode: goFileMode(st), mtime: new Date(st.mtimeMs).toISOString(), linkTarget } };
}

export async function statPath(svc: ContainersService, ref: string, path: string): Promise<ContainerPathStat> {
  const rec = svc.get(ref);
  const lease = await openRootfs(svc, rec);
  try {
    return (await locate(lease.root, path, ref)).stat;
  } finally {
    await lease.release();
  }
}

/**
 * Archives `path`: `begin(stat)` is called once the path is known to exist and returns the
 * response stream (after which errors end the stream rather than propagate).
 */
export async function archivePath(svc: ContainersService, ref: string, path: string, begin: (stat: ContainerPathStat) => Writable): Promise<void> {
  const rec = svc.get(ref);
  const lease = await openRootfs(svc, rec);
  try {
    const { host, stat } = await locate(lease.root, path, ref);
    const skipDevs = lease.running ? await pseudoDevs(lease.root) : undefined;
    const out = begin(stat);
    const tar = new TarWriter(out);
    try {
      await writeTree(tar, host, stat.name === '/' ? '.' : stat.name, { skipDevs });
      await tar.finish();
    } catch (e) {
      svc.deps.log('warn', `archive of ${path} in ${rec.Id}: ${(e as Error).message}`);
      out.destroy(e as Error);
    }
  } finally {
    await lease.release().catch((e) => svc.deps.log('warn', `archive of ${rec.Id}: unmounting: ${(e as Error).message}`));
  }
}

export interface ExtractOptions {
  noOverwriteDirNonDir: boolean;
  copyUIDGID: boolean;
}

/** Extracts the tar `body` into the directory `path` of the container. */
export async function extractToDir(svc: ContainersService, ref: string, path: string, body: Readable, opts: ExtractOptions): Promise<void> {
  const rec = svc.get(ref);
  const p = parseContainerPath(path);
  const lease = await openRootfs(svc, rec);
  try {
    const dest = await resolveInRoot(lease.root, p.parts);
    const st = await lstat(dest.host).catch(() => undefined);
    if (!st) throw fileNotFound(path, ref);
    if (!st.isDirectory()) throw invalidArgument('extraction point is not a directory');
    // The mount holding the destination decides whether it is writable (moby's
    // checkIfPathIsInAVolume): the deepest mount point containing it.
    const under = (d: string) => dest.inContainer === d || dest.inContainer.startsWith(d.endsWith('/') ? d : `${d}/`);
    const mp = rec.MountPoints.filter((m) => m.Destination && under(m.Destination)).sort((a, b) => b.Destination!.length - a.Destination!.length)[0];
    if (mp && mp.RW === false) throw invalidArgument('mounted volume is marked read-only');
    if (!mp && rec.HostConfig.ReadonlyRootfs) throw invalidArgument('container rootfs is marked read-only');
    await extractTar(dest.host, dest.inContainer, body, opts);
  } finally {
    body.resume();
    await lease.release().catch((e) => svc.deps.log('warn', `extract into ${rec.Id}: unmounting: ${(e as Error).message}`));
  }
}

/**
 * Unpacks a cp archive into `dir` (host path; `shown` is its container path, for messages).
 * Names with `..` or a leading `/` are refused; parents are resolved by the layer resolver,
 * which refuses symlinks leading out of `dir`. Unlike a layer there are no whiteouts.
 */
async function extractTar(dir: string, shown: string, body: Readable, opts: ExtractOptions): Promise<void> {
  const resolver = new RootResolver(dir);
  const dirTimes: [string, number][] = [];
  for await (const { header: h, body: data } of readTar(body)) {
    if (h.name.startsWith('/')) throw invalidArgument(`invalid archive entry "${h.name}": absolute paths are not allowed`);
    const parts = entryComponents(h.name);
    const base = parts.at(-1);
    if (base === undefined) continue; // "./": the destination itself keeps its metadata
    const parent = (await resolver.dir(parts.slice(0, -1), h.name, true))!;
    const target = join(parent, base);
    const shownTarget = posix.join(shown, ...parts);
    const existing = await lstat(target).catch(() => undefined);
    if (existing && !(existing.isDirectory() && h.type === 'directory')) {
      if (opts.noOverwriteDirNonDir && existing.isDirectory()) throw invalidArgument(`cannot overwrite directory "${shownTarget}" with non-directory "${h.name}"`);
      if (opts.noOverwriteDirNonDir && h.type === 'directory') throw invalidArgument(`cannot overwrite non-directory "${shownTarget}" with directory "${h.name}"`);
      await rm(target, { recursive: true, force: true });
      resolver.invalidate();
    }
    switch (h.type) {
      case 'directory':
        if (!existing?.isDirectory()) await mkdir(target, { mode: 0o700 });
        break;
      case 'file': {
        const fh = await open(target, 'wx', 0o600);
        try { for await (const chunk of data) await fh.write(chunk); } finally { await fh.close(); }
        break;
      }
      case 'symlink':
        await symlink(h.linkname, target);
        break;
      case 'link': {
        const lp = entryComponents(h.linkname);
        const ldir = lp.length ? await resolver.dir(lp.slice(0, -1), h.linkname, false) : undefined;
        const src = ldir === undefined ? undefined : join(ldir, lp.at(-1)!);
        const sst = src ? await lstat(src).catch(() => undefined) : undefined;
        if (!src || !sst || sst.isDirectory()) throw invalidArgument(`invalid archive entry "${h.name}": hardlink target "${h.linkname}" is not in the archive`);
        await link(src, target);
        continue;
      }
      case 'character-device': case 'block-device': case 'fifo':
        mknod(target, (h.type === 'fifo' ? S_IFIFO : h.type === 'block-device' ? S_IFBLK : S_IFCHR) | (h.mode & 0o7777), makedev(h.devmajor, h.devminor));
        break;
      default:
        throw invalidArgument(`invalid archive entry "${h.name}": unsupported type ${h.type}`);
    }
    await metadata(target, h, opts.copyUIDGID);
    if (h.type === 'directory') dirTimes.push([target, h.mtime]);
  }
  for (const [p, t] of dirTimes.reverse()) await utimes(p, t, t);
}

/** Owner first (chown clears setuid bits), then mode, xattrs, times; 0:0 unless asked to keep ids. */
async function metadata(p: string, h: TarHeader, keepIds: boolean): Promise<void> {
  await lchown(p, keepIds ? h.uid : 0, keepIds ? h.gid : 0);
  if (h.type !== 'symlink') await chmod(p, h.mode & 0o7777);
  for (const [name, value] of h.xattrs) {
    try { lsetxattr(p, name, value); } catch { /* as for layers: unsupported xattrs are dropped */ }
  }
  if (h.type !== 'directory') await lutimes(p, h.mtime, h.mtime);
}
