/**
 * Unpacking a layer tar into a directory: files, directories, links, devices, ownership, modes,
 * xattrs, times, and whiteouts either converted for overlayfs or applied by deletion.
 *
 * Contract: layers are untrusted, and a rejected or failed layer leaves `root` partly written.
 * Callers apply into a fresh directory (a prepared snapshot) and discard it on failure — the
 * snapshotter's unpackLayers does exactly that. Nothing is ever written outside `root`.
 *
 * Order of metadata matters: chown clears setuid/setgid and security.capability, so ownership
 * comes first, then the mode, then xattrs; a directory's mtime changes whenever an entry is
 * created in it, so directory times are set once the whole layer is in.
 *
 * Calls on an existing inode (lstat, chown, chmod, utimes) are synchronous: each takes a few
 * microseconds, where a round trip through libuv's thread pool costs far more, several times per
 * entry. Creating inodes and writing data, which can wait on the disk, stay asynchronous.
 */
import { chmodSync, lchownSync, lstatSync, lutimesSync, utimesSync } from 'node:fs';
import { link, mkdir, open, readdir, rm, symlink } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { EngineError, internal, invalidArgument } from '../../common/errors.js';
import { lsetxattr, makedev, mknod, S_IFBLK, S_IFCHR, S_IFIFO } from '../../sys/index.js';
import { readTar } from './tar/index.js';
import type { TarHeader } from './tar/index.js';
import { entryComponents, escapes, RootResolver } from './path.js';
import {
  isOverlayXattr, OVERLAY_OPAQUE_XATTR, WHITEOUT_META_PREFIX, WHITEOUT_OPAQUE, WHITEOUT_PREFIX,
} from './whiteouts.js';
import type { WhiteoutMode } from './whiteouts.js';

export interface ApplyOptions {
  /** 'overlay' (for an overlayfs upperdir/lowerdir) or 'delete' (a plain directory). Default 'delete'. */
  convertWhiteouts?: WhiteoutMode;
  /**
   * Sees each entry that creates something (not whiteouts), before its content is written, with
   * where it lands relative to root (symlinks among its parents resolved). For a regular file,
   * the function it returns gets the file's bytes in order, so a caller can checksum them as
   * they stream by instead of reading the files back.
   */
  observe?: (h: TarHeader, path: string) => ((chunk: Buffer) => void) | undefined;
}

export interface ApplyResult {
  /** Bytes of regular-file content written. */
  size: number;
}

function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

function lstatOrNull(p: string) {
  return lstatSync(p, { throwIfNoEntry: false }) ?? null;
}

/** State of one apply run. */
class Applier {
  size = 0;
  /** Paths this layer created, and all their ancestors: what an opaque whiteout must keep. */
  private readonly unpacked = new Set<string>();
  private readonly dirTimes: Array<[string, number]> = [];
  private readonly resolver: RootResolver;

  constructor(readonly root: string, readonly mode: WhiteoutMode, private readonly observe?: ApplyOptions['observe']) {
    this.resolver = new RootResolver(root, (d) => this.mark(d));
  }

  private mark(p: string): void {
    for (let q = p; q.length > this.root.length && !this.unpacked.has(q); q = q.slice(0, q.lastIndexOf('/'))) {
      this.unpacked.add(q);
    }
  }

  async entry(h: TarHeader, body: AsyncIterable<Buffer>): Promise<void> {
    const parts = entryComponents(h.name);
    const base = parts.at(-1);
    if (base === undefined) {
      // "./": the layer describes the root directory itself.
      if (h.type !== 'directory') throw invalidArgument(`layer entry "${h.name}" would replace the root`);
      this.metadata(this.root, h);
      return;
    }
    const parentParts = parts.slice(0, -1);
    if (base.startsWith(WHITEOUT_PREFIX)) return this.whiteout(h, parentParts, base);
    const parent = (await this.resolver.dir(parentParts, h.name, true))!;
    const target = join(parent, base);
    const sink = this.observe?.(h, relative(this.root, target));
    const existing = lstatOrNull(target);
    if (existing && !(existing.isDirectory() && h.type === 'directory')) {
      if (h.type === 'link' && (await this.linkSource(h)) === target) return;
      await rm(target, { recursive: existing.isDirectory(), force: true });
      this.resolver.invalidate();
    }
    switch (h.type) {
      case 'directory':
        if (!existing?.isDirectory()) await mkdir(target, { mode: 0o700 });
        break;
      case 'file': {
        const fh = await open(target, 'wx', 0o600);
        try {
          // Chunks arrive at socket size (~64 KiB): write them a MiB at a time, one write in
          // flight while the next MiB is read (writes stay in order: each waits for the last).
          let batch: Buffer[] = [];
          let pending = 0;
          let inflight: Promise<unknown> = Promise.resolve();
          try {
            for await (const chunk of body) {
              sink?.(chunk);
              batch.push(chunk);
              pending += chunk.length;
              this.size += chunk.length;
              if (pending >= 1 << 20) {
                await inflight;
                const w = fh.writev(batch);
                w.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
                inflight = w;
                batch = [];
                pending = 0;
              }
            }
          } finally {
            await inflight;
          }
          if (pending) await fh.writev(batch);
        } finally {
          await fh.close();
        }
        break;
      }
      case 'symlink':
        await symlink(h.linkname, target);
        break;
      case 'link':
        // A hardlink shares its source's inode, and so its metadata: nothing more to set.
        await link((await this.linkSource(h))!, target);
        this.mark(target);
        return;
      case 'character-device':
      case 'block-device':
      case 'fifo': {
        const type = h.type === 'fifo' ? S_IFIFO : h.type === 'block-device' ? S_IFBLK : S_IFCHR;
        mknod(target, type | (h.mode & 0o7777), makedev(h.devmajor, h.devminor));
        break;
      }
      default:
        throw invalidArgument(`layer entry "${h.name}" has unsupported type ${h.type}`);
    }
    this.mark(target);
    this.metadata(target, h);
  }

  /** The on-disk path a hardlink entry points at; it must exist under root and not be a dir. */
  private async linkSource(h: TarHeader): Promise<string | undefined> {
    let parts: string[];
    try { parts = entryComponents(h.linkname); } catch { throw escapes(`${h.name} -> ${h.linkname}`); }
    const base = parts.at(-1);
    if (base === undefined) throw invalidArgument(`layer entry "${h.name}" links to the root`);
    const dir = await this.resolver.dir(parts.slice(0, -1), `${h.name} -> ${h.linkname}`, false);
    const st = dir === undefined ? null : lstatOrNull(join(dir, base));
    if (!st || st.isDirectory()) {
      throw invalidArgument(`layer entry "${h.name}": hardlink target "${h.linkname}" is not a file in the layer`);
    }
    return join(dir!, base);
  }

  private metadata(p: string, h: TarHeader): void {
    lchownSync(p, h.uid, h.gid);
    if (h.type !== 'symlink') chmodSync(p, h.mode & 0o7777);
    for (const [name, value] of h.xattrs) {
      if (isOverlayXattr(name)) continue;
      try {
        lsetxattr(p, name, value);
      } catch (e) {
        // Filesystems without xattr support, or namespaces we may not write (security.selinux
        // under a foreign policy), lose the attribute, as containerd does.
        if (code(e) !== 'ENOTSUP' && code(e) !== 'EPERM') throw e;
      }
    }
    if (h.type === 'directory') this.dirTimes.push([p, h.mtime]);
    else lutimesSync(p, h.mtime, h.mtime);
  }

  private async whiteout(h: TarHeader, parentParts: string[], base: string): Promise<void> {
    if (base === WHITEOUT_OPAQUE) {
      const dir = (await this.resolver.dir(parentParts, h.name, true))!;
      if (this.mode === 'overlay') lsetxattr(dir, OVERLAY_OPAQUE_XATTR, 'y');
      else await this.pruneOpaque(dir);
      return;
    }
    if (base.startsWith(WHITEOUT_META_PREFIX)) return; // AUFS bookkeeping, never content
    const name = base.slice(WHITEOUT_PREFIX.length);
    if (name === '' || name === '.' || name === '..') throw invalidArgument(`layer entry "${h.name}" is an invalid whiteout`);
    const dir = await this.resolver.dir(parentParts, h.name, this.mode === 'overlay');
    if (dir === undefined) return; // nothing below to delete
    const target = join(dir, name);
    if (this.unpacked.has(target)) return; // a whiteout never hides its own layer's files
    if (lstatOrNull(target)) {
      await rm(target, { recursive: true, force: true });
      this.resolver.invalidate();
    }
    if (this.mode === 'overlay') {
      mknod(target, S_IFCHR, makedev(0, 0));
      lchownSync(target, h.uid, h.gid);
    }
  }

  /** Removes from `dir` everything not written by this layer (delete-mode opaque whiteout). */
  private async pruneOpaque(dir: string): Promise<void> {
    for (const child of await readdir(dir)) {
      const p = join(dir, child);
      if (!this.unpacked.has(p)) {
        await rm(p, { recursive: true, force: true });
        this.resolver.invalidate();
      } else if (lstatSync(p).isDirectory()) {
        await this.pruneOpaque(p);
      }
    }
  }

  finish(): void {
    for (const [p, mtime] of this.dirTimes.reverse()) utimesSync(p, mtime, mtime);
  }
}

/**
 * Streams an uncompressed layer tar into `root` (see the module comment for the failure
 * contract). Rejections are invalid-argument EngineErrors naming the entry.
 */
export async function applyLayer(root: string, tar: Readable, opts: ApplyOptions = {}): Promise<ApplyResult> {
  const applier = new Applier(resolve(root), opts.convertWhiteouts ?? 'delete', opts.observe);
  let current = '';
  try {
    for await (const { header, body } of readTar(tar)) {
      current = header.name;
      await applier.entry(header, body);
    }
    applier.finish();
  } catch (e) {
    tar.destroy();
    if (e instanceof EngineError) throw e;
    const c = code(e);
    const message = `failed to apply layer entry "${current}": ${(e as Error).message}`;
    if (c === 'ENOENT' || c === 'ENOTDIR' || c === 'EEXIST' || c === 'ELOOP' || c === 'EISDIR') throw invalidArgument(message, e);
    throw internal(message, e);
  }
  return { size: applier.size };
}
