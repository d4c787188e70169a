/**
 * Writing a layer tar from a filesystem's changes (the inverse of apply.ts): added and changed
 * paths in full — owner, mode, times, xattrs, hardlinks kept as links within the layer —
 * deletions as `.wh.<name>` files, overlay opaque directories as `<dir>/.wh..wh..opq`. Each
 * entry's parent directories are written before it (once), so applying the layer never has to
 * invent a directory's mode or owner. Used by commit, build and export.
 *
 * The upper tree must hold still while it is read: a running container could swap a directory
 * for a symlink between our lstat and our open. Files are opened without following a final
 * symlink and checked to be the inode we listed, but callers must still pause or stop the
 * container first, as Docker's commit does.
 */
import { constants } from 'node:fs';
import { lstat, open, readlink } from 'node:fs/promises';
import { failedPrecondition } from '../../common/errors.js';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import type { Stats } from 'node:fs';
import { lgetxattr, llistxattr, major, minor } from '../../sys/index.js';
import { TarWriter } from './tar/index.js';
import type { TarWriteEntry } from './tar/index.js';
import { walkChanges } from './changes.js';
import type { DiffMode } from './changes.js';
import { isOverlayXattr, WHITEOUT_OPAQUE, WHITEOUT_PREFIX } from './whiteouts.js';

export interface DiffOptions {
  /** 'overlay' when `upper` is an overlayfs upperdir, 'trees' (default) for two full trees. */
  mode?: DiffMode;
}

function xattrs(path: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const name of llistxattr(path)) {
    if (isOverlayXattr(name)) continue;
    const v = lgetxattr(path, name);
    if (v !== undefined) out.set(name, v);
  }
  return out;
}

class DiffWriter {
  private readonly written = new Set<string>();
  private readonly links = new Map<string, string>();
  size = 0;

  constructor(private readonly upper: string, private readonly tar: TarWriter) {}

  private async parents(rel: string): Promise<void> {
    const dir = dirname(rel);
    if (dir === '.' || this.written.has(dir)) return;
    await this.parents(dir);
    await this.entry(dir);
  }

  /** Writes `rel` from upper (once). */
  async entry(rel: string): Promise<void> {
    if (this.written.has(rel)) return;
    await this.parents(rel);
    this.written.add(rel);
    const p = join(this.upper, rel);
    const st: Stats = await lstat(p);
    const base: TarWriteEntry = {
      name: rel, type: 'file', mode: st.mode & 0o7777, uid: st.uid, gid: st.gid,
      mtime: Math.floor(st.mtimeMs / 1000), xattrs: xattrs(p),
    };
    if (st.isDirectory()) return this.tar.add({ ...base, type: 'directory' });
    if (st.isSymbolicLink()) return this.tar.add({ ...base, type: 'symlink', linkname: await readlink(p) });
    if (st.isCharacterDevice() || st.isBlockDevice()) {
      return this.tar.add({ ...base, type: st.isBlockDevice() ? 'block-device' : 'character-device', devmajor: major(st.rdev), devminor: minor(st.rdev) });
    }
    if (st.isFIFO()) return this.tar.add({ ...base, type: 'fifo' });
    if (!st.isFile()) return; // sockets do not travel in layers
    if (st.nlink > 1) {
      const key = `${st.dev}:${st.ino}`;
      const first = this.links.get(key);
      if (first !== undefined) return this.tar.add({ ...base, type: 'link', linkname: first, xattrs: new Map() });
      this.links.set(key, rel);
    }
    // O_NOFOLLOW and the inode check: if the path was swapped for a symlink since we looked
    // (a running container racing us), we refuse rather than read what it points at.
    const fh = await open(p, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      const now = await fh.stat();
      if (now.ino !== st.ino || now.dev !== st.dev || !now.isFile()) {
        throw failedPrecondition(`"${rel}" changed while the diff was being written`);
      }
      this.size += st.size;
      await this.tar.add({ ...base, size: st.size }, fh.createReadStream({ start: 0, end: Math.max(0, st.size - 1), autoClose: false }));
    } finally {
      await fh.close();
    }
  }

  async marker(dirRel: string, name: string): Promise<void> {
    await this.parents(join(dirRel, 'x'));
    await this.tar.add({ name: join(dirRel, name), type: 'file', mode: 0o600, size: 0 });
  }
}

/**
 * Writes the layer tar of the changes from `lower` to `upper` into `out` and ends it. For
 * 'overlay', `lower` lists the lowerdirs (nearest first, may be empty); for 'trees', `lower` is
 * `[lowerTree]` or `[]` when everything is new. Resolves with the bytes of file content.
 */
export async function writeDiff(lower: readonly string[], upper: string, out: Writable, opts: DiffOptions = {}): Promise<{ size: number }> {
  const tar = new TarWriter(out);
  const w = new DiffWriter(upper, tar);
  try {
    for await (const item of walkChanges(opts.mode ?? 'trees', lower, upper)) {
      if (item.kind === 'D') {
        const dir = dirname(item.rel);
        await w.marker(dir === '.' ? '' : dir, `${WHITEOUT_PREFIX}${item.rel.slice(dir === '.' ? 0 : dir.length + 1)}`);
        continue;
      }
      await w.entry(item.rel);
      if (item.opaque) await w.marker(item.rel, WHITEOUT_OPAQUE);
    }
    await tar.finish();
  } catch (e) {
    out.destroy(e as Error);
    throw e;
  }
  return { size: w.size };
}
