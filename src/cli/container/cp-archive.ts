/**
 * The client half of `docker cp`, after moby's go-archive copy helpers: path splitting that keeps
 * a trailing `/` or `/.`, source/destination info, the rebase that renames an archive's top entry
 * to the destination's name, packing a local path as a tar and extracting one under a directory.
 * Extraction never writes outside its directory (`..`, absolute names, links out are refused).
 */
import { createReadStream, createWriteStream, lstatSync, linkSync, mkdirSync, readdirSync, readlinkSync, realpathSync, rmSync, statSync, symlinkSync, chmodSync, utimesSync, lutimesSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, relative, resolve } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { goFs, goFsError } from './local-fs.js';

export interface CopyInfo {
  path: string;
  exists: boolean;
  isDir: boolean;
  rebaseName: string;
}

const hasTrailingSep = (p: string): boolean => p.endsWith('/');
const specifiesCurrentDir = (p: string): boolean => basename(p) === '.' || p === '.' || /\/\.\/*$/.test(p);
/** Go's filepath.Clean for absolute and relative paths (no trailing separator). */
const clean = (p: string): string => {
  const n = normalize(p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
};

/** go-archive PreserveTrailingDotOrSeparator. */
export function preserveTrailing(cleaned: string, original: string): string {
  if (specifiesCurrentDir(original) && !specifiesCurrentDir(cleaned)) cleaned += '/.';
  if (hasTrailingSep(original) && !hasTrailingSep(cleaned)) cleaned += '/';
  return cleaned;
}

/** filepath.Abs that keeps the user's trailing `/` or `/.`. */
export function absLocal(p: string): string {
  return preserveTrailing(clean(resolve(p)), p);
}

/** go-archive SplitPathDirEntry: `/a/b/` → [`/a`, `b`], `/a/b/.` → [`/a/b`, `.`]. */
export function splitDirEntry(p: string): [string, string] {
  let cleaned = clean(p);
  if (specifiesCurrentDir(p)) cleaned += '/.';
  return [dirname(cleaned), basename(cleaned)];
}

export const assertsDirectory = (p: string): boolean => hasTrailingSep(p) || specifiesCurrentDir(p);

/** go-archive GetRebaseName: the resolved path with the original's trailing form, and the name to rebase to. */
export function rebaseNameOf(path: string, resolved: string): [string, string] {
  if (specifiesCurrentDir(path) && !specifiesCurrentDir(resolved)) resolved += '/.';
  if (hasTrailingSep(path) && !hasTrailingSep(resolved)) resolved += '/';
  return [resolved, basename(path) !== basename(resolved) ? basename(path) : ''];
}

/** Go's filepath.EvalSymlinks, failing like it on the first missing component. */
function evalSymlinks(p: string): string {
  try {
    return realpathSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw goFsError(e, 'lstat', p);
    const parts = resolve(p).split('/').filter(Boolean);
    let cur = '';
    for (const part of parts) {
      cur += `/${part}`;
      try { lstatSync(cur); } catch (e2) { throw goFsError(e2, 'lstat', cur); }
    }
    throw goFsError(e, 'lstat', p);
  }
}

/** go-archive CopyInfoSourcePath for a local source. */
export function localSourceInfo(path: string, followLink: boolean): CopyInfo {
  let resolved: string;
  let rebaseName = '';
  if (followLink) {
    [resolved, rebaseName] = rebaseNameOf(path, evalSymlinks(path));
  } else {
    const cut = path.lastIndexOf('/') + 1;
    const base = path.slice(cut);
    const realDir = evalSymlinks(path.slice(0, cut) || '.');
    resolved = realDir === '/' ? `/${base}` : `${realDir}/${base}`;
    if (hasTrailingSep(path) && basename(path) !== basename(resolved)) rebaseName = basename(path);
  }
  const st = goFs('lstat', clean(resolved), () => lstatSync(clean(resolved)));
  return { path: resolved, exists: true, isDir: st.isDirectory(), rebaseName };
}

/** go-archive CopyInfoDestinationPath: follows symlinks; a missing path needs an existing parent dir. */
export function localDestInfo(path: string): CopyInfo {
  let p = path;
  for (let n = 0; ; n++) {
    let st;
    try {
      st = lstatSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw goFsError(e, 'lstat', p);
      const [parent] = splitDirEntry(p);
      const ps = goFs('stat', parent, () => statSync(parent));
      if (!ps.isDirectory()) throw new Error('not a directory');
      return { path: p, exists: false, isDir: false, rebaseName: '' };
    }
    if (!st.isSymbolicLink()) return { path: p, exists: true, isDir: st.isDirectory(), rebaseName: '' };
    if (n > 10) throw new Error(`too many symlinks in ${path}`);
    const target = readlinkSync(p);
    p = isAbsolute(target) ? target : join(splitDirEntry(p)[0], target);
  }
}

/**
 * go-archive PrepareArchiveCopy: the directory to extract into and the rename (old → new top
 * entry name) that makes the copy land on the destination's name.
 */
export function prepareCopy(src: CopyInfo, dst: CopyInfo): { dir: string; rebase?: Rebase } {
  const [dstDir, dstBase] = splitDirEntry(dst.path);
  const srcBase = src.rebaseName || splitDirEntry(src.path)[1];
  if (dst.exists && dst.isDir) return { dir: dst.path };
  if (dst.exists && src.isDir) throw new Error('cannot copy directory');
  if (dst.exists || src.isDir) return { dir: dstDir, rebase: [srcBase, dstBase] };
  if (assertsDirectory(dst.path)) throw new Error('no such directory');
  return { dir: dstDir, rebase: [srcBase, dstBase] };
}

/** Renames the top component `old` of an entry name to `now` (moby's RebaseArchiveEntries). */
export type Rebase = [string, string];

export function rebaseName(name: string, rebases: Rebase[]): string {
  for (const [old, now] of rebases) {
    if (old === '/' || old === '') name = `${now}/${name}`;
    else if (name === old || name.startsWith(`${old}/`)) name = now + name.slice(old.length);
  }
  return name;
}

/** A tar of `srcInfo.path` (go-archive TarResource): entries named from its base (or its contents for `/.`). */
export function packLocal(src: CopyInfo, rebases: Rebase[]): Readable {
  const [dir, base] = splitDirEntry(src.path);
  const pack = tar.pack();
  const inodes = new Map<string, string>();
  const add = async (abs: string, name: string): Promise<void> => {
    const st = lstatSync(abs);
    const common = { name: rebaseName(name, rebases), mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: st.mtime };
    if (st.isDirectory()) {
      pack.entry({ ...common, name: common.name.endsWith('/') ? common.name : `${common.name}/`, type: 'directory' });
      for (const child of readdirSync(abs).sort()) await add(join(abs, child), `${name}/${child}`);
    } else if (st.isSymbolicLink()) {
      pack.entry({ ...common, type: 'symlink', linkname: readlinkSync(abs) });
    } else if (st.isFile()) {
      const key = `${st.dev}:${st.ino}`;
      const first = st.nlink > 1 ? inodes.get(key) : undefined;
      if (first !== undefined) {
        pack.entry({ ...common, type: 'link', linkname: first });
        return;
      }
      if (st.nlink > 1) inodes.set(key, common.name);
      await pipeline(createReadStream(abs), pack.entry({ ...common, size: st.size, type: 'file' }));
    } else if (st.isFIFO()) {
      pack.entry({ ...common, type: 'fifo' });
    }
  };
  add(base === '.' ? join(dir) : join(dir, base), base).then(() => pack.finalize(), (e: unknown) => pack.destroy(goFsError(e)));
  return pack as unknown as Readable;
}

/** `source` passed through, adding up the bytes it carries. */
export function counted(source: NodeJS.ReadableStream, total: { n: number }): Readable {
  const t = new Transform({ transform(c: Buffer, _e, cb) { total.n += c.length; cb(null, c); } });
  source.on('error', (e: Error) => t.destroy(e));
  source.pipe(t);
  return t;
}

function inside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Extracts a tar under `dir` (moby's Untar with NoLchown and NoOverwriteDirNonDir). */
export async function extractTo(content: Readable, dir: string, rebases: Rebase[]): Promise<void> {
  const root = realpathSync(dir);
  const dirTimes: [string, Date][] = [];
  const extract = tar.extract();
  const done = pipeline(content, extract);
  done.catch(() => {});
  for await (const entry of extract) {
    const h = entry.header;
    const name = clean(rebaseName(h.name.replace(/^\/+/, ''), rebases));
    const path = join(root, name);
    if (!inside(root, path)) throw new Error(`invalid path: ${JSON.stringify(h.name)} is outside of ${JSON.stringify(root)}`);
    mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
    if (!inside(root, realpathSync(dirname(path)))) throw new Error(`invalid path: ${JSON.stringify(h.name)} is outside of ${JSON.stringify(root)}`);
    let existing;
    try { existing = lstatSync(path); } catch { existing = undefined; }
    const isDir = h.type === 'directory';
    if (existing) {
      if (existing.isDirectory() && !isDir) throw new Error(`cannot overwrite directory ${JSON.stringify(path)} with non-directory ${JSON.stringify(root)}`);
      if (!existing.isDirectory() && isDir) throw new Error(`cannot overwrite non-directory ${JSON.stringify(path)} with directory ${JSON.stringify(root)}`);
      if (!(existing.isDirectory() && isDir)) rmSync(path, { recursive: true, force: true });
    }
    const mode = (h.mode ?? 0o644) & 0o7777;
    const mtime = h.mtime ?? new Date();
    switch (h.type) {
      case 'directory':
        if (!existing) mkdirSync(path, { mode });
        chmodSync(path, mode);
        dirTimes.push([path, mtime]);
        entry.resume();
        break;
      case 'file':
      case 'contiguous-file':
      case undefined:
      case null:
        await pipeline(entry, createWriteStream(path, { mode }));
        chmodSync(path, mode);
        utimesSync(path, mtime, mtime);
        break;
      case 'symlink':
        symlinkSync(h.linkname ?? '', path);
        lutimesSync(path, mtime, mtime);
        entry.resume();
        break;
      case 'link': {
        const target = join(root, clean(rebaseName((h.linkname ?? '').replace(/^\/+/, ''), rebases)));
        if (!inside(root, target)) throw new Error(`invalid hardlink ${JSON.stringify(h.linkname)} -> ${JSON.stringify(h.name)}`);
        linkSync(target, path);
        entry.resume();
        break;
      }
      default:
        entry.resume();
    }
  }
  await done;
  for (const [p, t] of dirTimes.reverse()) utimesSync(p, t, t);
}

