/**
 * The content checksums the legacy builder names COPY/ADD sources by in the history line
 * (`file:<hex>`, `dir:<hex>`, `multi:<hex>`), computed as moby does: each file's sum is a
 * TarSum v1 entry — SHA-256 over the tar header fields it selects (name, mode, uid, gid, size,
 * typeflag, linkname, empty user and group names, device numbers, the security.capability
 * xattr) followed by the file's bytes; a directory is the sorted, comma-joined sums of
 * everything below it (itself included); several sources are their sums joined in order.
 * Docker sums the context while it arrives; we sum from the extracted tree, whose headers are
 * the ones the client sent (modes and owners are applied exactly), and only what a step copies.
 * Paths follow symlinks inside the root, as Docker's scoped lookup does.
 */
import { createHash } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { lgetxattr, major, minor } from '../../sys/index.js';
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

/** The TarSum v1 header part of an entry named `name` (a directory's name ends in `/`). */
export function tarsumHeader(name: string, st: Stats, cap?: Buffer): Buffer {
  const dev = st.isCharacterDevice() || st.isBlockDevice();
  const fields = [
    `name${name}`, `mode${st.mode & 0o7777}`, `uid${st.uid}`, `gid${st.gid}`, `size${st.isFile() ? st.size : 0}`,
    `typeflag${typeflag(st)}`, 'linkname', 'uname', 'gname',
    `devmajor${dev ? major(st.rdev) : 0}`, `devminor${dev ? minor(st.rdev) : 0}`,
  ];
  const head = Buffer.from(fields.join(''), 'utf8');
  return cap ? Buffer.concat([head, Buffer.from('security.capability'), cap]) : head;
}

/** Sums of the files under one root (the context, or an image's rootfs), remembered per path. */
export class SourceSums {
  private readonly sums = new Map<string, Promise<string>>();

  constructor(readonly root: string) {}

  /** Docker's `Hash(rel)`: the entry's sum after following symlinks; a dangling path is its own name. */
  async hash(rel: string): Promise<string> {
    const full = await scopedPath(this.root, rel, true);
    const target = relative(this.root, full);
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
    const h = createHash('sha256');
    h.update(tarsumHeader(st.isDirectory() ? `${name}/` : name, st, capability(full)));
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
    await walk(full, top, names);
    const subs = await Promise.all(names.map((n) => this.hash(n)));
    return hashStrings('dir', subs.sort());
  }
}

async function walk(abs: string, rel: string, into: string[]): Promise<void> {
  for (const ent of await readdir(abs, { withFileTypes: true })) {
    const r = rel ? `${rel}/${ent.name}` : ent.name;
    into.push(r);
    if (ent.isDirectory()) await walk(join(abs, ent.name), r, into);
  }
}

/** moby's `hashStringSlice`: `<prefix>:` and the SHA-256 of the comma-joined strings. */
export function hashStrings(prefix: string, list: readonly string[]): string {
  return `${prefix}:${createHash('sha256').update(list.join(',')).digest('hex')}`;
}
