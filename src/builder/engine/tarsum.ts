/**
 * The content checksums the legacy builder names COPY/ADD sources by in the history line
 * (`file:<hex>`, `dir:<hex>`, `multi:<hex>`), computed as moby does: each file's sum is a
 * TarSum v1 entry — SHA-256 over the tar header fields it selects (name, mode, uid, gid, size,
 * typeflag, linkname, empty user and group names, device numbers, the security.capability
 * xattr) followed by the file's bytes; a directory is the sorted, comma-joined sums of
 * everything below it (itself included); several sources are their sums joined in order.
 * Docker sums the context while it arrives; so do we (context/sums.ts), and use those sums when
 * the extracted file's stat gives the same header; anything else is summed from the tree, whose
 * headers are the ones the client sent (modes and owners are applied exactly).
 * Paths follow symlinks inside the root, as Docker's scoped lookup does.
 */
import { createHash } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { lgetxattr, major, minor } from '../../sys/index.js';
import { tarsumHeader, type ContextSums } from '../context/index.js';
import { scopedPath } from './rootfs-write.js';

function typeflag(st: Stats): string {
  if (st.isFile()) return '0';
  if (st.isDirectory()) return '5';
  if (st.isSymbolicLink()) return '2';
  if (st.isCharacterDevice()) return '3';
  if (st.isBlockDevice()) return '4';
  if (st.isFIFO()) return '6';
  return '0';
}

function capability(path: string): Buffer | undefined {
  try { return lgetxattr(path, 'security.capability') ?? undefined; } catch { return undefined; }
}

/** The TarSum v1 header part of the entry `st` describes, named `name` (a directory's name ends in `/`). */
export function statTarsumHeader(name: string, st: Stats, cap?: Buffer): Buffer {
  const dev = st.isCharacterDevice() || st.isBlockDevice();
  return tarsumHeader(name, {
    mode: st.mode, uid: st.uid, gid: st.gid, size: st.isFile() ? st.size : 0, typeflag: typeflag(st),
    devmajor: dev ? major(st.rdev) : 0, devminor: dev ? minor(st.rdev) : 0,
  }, cap);
}

/** Sums of the files under one root (the context, or an image's rootfs), remembered per path. */
export class SourceSums {
  private readonly sums = new Map<string, Promise<string>>();

  /** `known`: sums taken while this root was unpacked (the build context's). */
  constructor(readonly root: string, private readonly known?: ContextSums) {}

  /** Docker's `Hash(rel)`: the entry's sum after following symlinks; a dangling path is its own name. */
  async hash(rel: string): Promise<string> {
    const full = await scopedPath(this.root, rel, true);
    return this.hashAt(full, relative(this.root, full));
  }

  /** The sum of the entry at `full` (no symlink on its way), `target` below the root. */
  private async hashAt(full: string, target: string): Promise<string> {
    let st: Stats;
    try { st = await lstat(full); } catch { return target; }
    let p = this.sums.get(target);
    if (!p) {
      p = this.compute(full, target, st);
      this.sums.set(target, p);
    }
    return p;
  }

  private async compute(full: string, name: string, st: Stats): Promise<string> {
    const head = statTarsumHeader(st.isDirectory() ? `${name}/` : name, st, capability(full));
    const known = st.isFile() ? this.known?.lookup(name, head) : undefined;
    if (known) return known;
    const h = createHash('sha256');
    h.update(head);
    if (st.isFile() && st.size > 0) {
      for await (const chunk of createReadStream(full, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
    }
    return h.digest('hex');
  }

  /** `file:<sum>` for a file, `dir:<hex>` over everything below a directory (itself too, unless it is the root). */
  async sourceHash(rel: string): Promise<string> {
    const full = await scopedPath(this.root, rel, true);
    const st = await lstat(full).catch(() => undefined);
    if (!st?.isDirectory()) return `file:${await this.hash(rel)}`;
    const top = relative(this.root, full);
    const names = top ? [top] : [];
    const links = new Set<string>();
    await walk(full, top, names, links);
    // Only a symlink needs resolving: every other name the walk found is a real path already.
    const subs = await Promise.all(names.map((n) => (links.has(n) ? this.hash(n) : this.hashAt(join(this.root, n), n))));
    return hashStrings('dir', subs.sort());
  }
}

async function walk(abs: string, rel: string, into: string[], links: Set<string>): Promise<void> {
  for (const ent of await readdir(abs, { withFileTypes: true })) {
    const r = rel ? `${rel}/${ent.name}` : ent.name;
    into.push(r);
    if (ent.isSymbolicLink()) links.add(r);
    else if (ent.isDirectory()) await walk(join(abs, ent.name), r, into, links);
  }
}

/** moby's `hashStringSlice`: `<prefix>:` and the SHA-256 of the comma-joined strings. */
export function hashStrings(prefix: string, list: readonly string[]): string {
  return `${prefix}:${createHash('sha256').update(list.join(',')).digest('hex')}`;
}
