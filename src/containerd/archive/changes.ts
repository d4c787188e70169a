/**
 * What changed between a lower filesystem and an upper one, as `docker diff` reports it:
 * A (added), C (changed), D (deleted). Two sources:
 *  - 'overlay': `upper` is an overlayfs upperdir. Everything in it is new or changed (a copy-up),
 *    a 0/0 character device is a deletion, a directory with trusted.overlay.opaque=y hides its
 *    lower content. `lower` (the lowerdirs) only decides A versus C.
 *  - 'trees': `upper` and `lower[0]` are complete trees (native snapshots), compared by type,
 *    mode, owner, size, mtime, link target, device and xattrs — not content, as Docker does.
 * The walk is depth-first in byte order with each directory's deletions first, so a tar written
 * from it is deterministic and has whiteouts before their siblings (image-spec layer.md).
 */
import { lstat, readdir, readlink } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { lgetxattr, llistxattr } from '../../sys/index.js';
import { isOverlayXattr, OVERLAY_OPAQUE_XATTR } from './whiteouts.js';

export type ChangeKind = 'A' | 'C' | 'D';
export type DiffMode = 'overlay' | 'trees';

export interface Change {
  kind: ChangeKind;
  /** Absolute within the filesystem: "/etc/hosts". */
  path: string;
}

/** One step of the walk: `rel` has no leading slash; `opaque` marks an overlay opaque dir. */
export interface WalkItem {
  kind: ChangeKind;
  rel: string;
  opaque?: boolean;
}

const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

async function lstatOrNull(p: string): Promise<Stats | null> {
  try { return await lstat(p); } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw e;
  }
}

async function sortedNames(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort(byBytes);
}

export function isWhiteoutDevice(st: Stats): boolean {
  return st.isCharacterDevice() && st.rdev === 0;
}

export function isOpaqueDir(path: string): boolean {
  return lgetxattr(path, OVERLAY_OPAQUE_XATTR)?.toString() === 'y';
}

function xattrsOf(path: string): string {
  return llistxattr(path).filter((n) => !isOverlayXattr(n)).sort()
    .map((n) => `${n}=${lgetxattr(path, n)?.toString('hex') ?? ''}`).join(',');
}

async function differs(lp: string, l: Stats, up: string, u: Stats): Promise<boolean> {
  if ((l.mode & 0o170000) !== (u.mode & 0o170000)) return true;
  if (l.mode !== u.mode || l.uid !== u.uid || l.gid !== u.gid) return true;
  if (!u.isDirectory() && (l.size !== u.size || l.mtimeMs !== u.mtimeMs)) return true;
  if (u.isDirectory() && l.mtimeMs !== u.mtimeMs) return true;
  if (u.isSymbolicLink() && (await readlink(lp)) !== (await readlink(up))) return true;
  if ((u.isCharacterDevice() || u.isBlockDevice()) && l.rdev !== u.rdev) return true;
  return xattrsOf(lp) !== xattrsOf(up);
}

async function* walkOverlay(upper: string, lowers: readonly string[], rel: string): AsyncGenerator<WalkItem> {
  const names = await sortedNames(join(upper, rel));
  const stats = await Promise.all(names.map((n) => lstat(join(upper, rel, n))));
  for (let i = 0; i < names.length; i++) {
    if (isWhiteoutDevice(stats[i]!)) yield { kind: 'D', rel: join(rel, names[i]!) };
  }
  for (let i = 0; i < names.length; i++) {
    const st = stats[i]!;
    if (isWhiteoutDevice(st)) continue;
    const r = join(rel, names[i]!);
    let inLower = false;
    for (const l of lowers) {
      const ls = await lstatOrNull(join(l, r));
      if (ls) { inLower = !isWhiteoutDevice(ls); break; }
    }
    const opaque = st.isDirectory() && isOpaqueDir(join(upper, r));
    yield { kind: inLower ? 'C' : 'A', rel: r, ...(opaque ? { opaque } : {}) };
    if (st.isDirectory()) yield* walkOverlay(upper, opaque ? [] : lowers, r);
  }
}

async function* walkTrees(lower: string | undefined, upper: string, rel: string): AsyncGenerator<WalkItem> {
  const uNames = await sortedNames(join(upper, rel));
  const lNames = lower === undefined ? [] : await sortedNames(join(lower, rel));
  const inUpper = new Set(uNames);
  for (const n of lNames) if (!inUpper.has(n)) yield { kind: 'D', rel: join(rel, n) };
  for (const n of uNames) {
    const r = join(rel, n);
    const u = await lstat(join(upper, r));
    const l = lower === undefined ? null : await lstatOrNull(join(lower, r));
    if (!l) {
      yield { kind: 'A', rel: r };
      if (u.isDirectory()) yield* walkTrees(undefined, upper, r);
      continue;
    }
    if (await differs(join(lower!, r), l, join(upper, r), u)) yield { kind: 'C', rel: r };
    if (u.isDirectory()) yield* walkTrees(l.isDirectory() ? lower : undefined, upper, r);
  }
}

/** Walks the differences in write order (see the module comment). */
export function walkChanges(mode: DiffMode, lower: readonly string[], upper: string): AsyncGenerator<WalkItem> {
  return mode === 'overlay' ? walkOverlay(upper, lower, '') : walkTrees(lower[0], upper, '');
}

/** The changes as `docker diff` lists them: sorted by path. */
export async function changes(lower: readonly string[], upper: string, mode: DiffMode = 'trees'): Promise<Change[]> {
  const out: Change[] = [];
  for await (const item of walkChanges(mode, lower, upper)) out.push({ kind: item.kind, path: `/${item.rel}` });
  return out.sort((a, b) => byBytes(a.path, b.path));
}
