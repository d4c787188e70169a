/**
 * Checksums of the context's files taken while the context tar is unpacked, so naming COPY/ADD
 * sources (Docker's TarSum v1 sums, see engine/tarsum.ts) never reads the files back — as moby
 * sums the context while it arrives. A sum is kept for a regular file written exactly once by
 * the tar; at lookup the header the sum began with must equal the one made from the file's
 * stat, otherwise (or for any other path) the caller sums from the disk.
 */
import { createHash, type Hash } from 'node:crypto';
import type { TarHeader } from '../../containerd/archive/tar/index.js';

/** The header fields TarSum v1 selects, besides the name and the security.capability xattr. */
export interface TarsumFields {
  mode: number;
  uid: number;
  gid: number;
  size: number;
  typeflag: string;
  devmajor: number;
  devminor: number;
}

/** The TarSum v1 header part of an entry named `name` (a directory's name ends in `/`). */
export function tarsumHeader(name: string, f: TarsumFields, cap?: Buffer): Buffer {
  const head = Buffer.from(
    `name${name}mode${f.mode & 0o7777}uid${f.uid}gid${f.gid}size${f.size}typeflag${f.typeflag}` +
    `linknameunamegnamedevmajor${f.devmajor}devminor${f.devminor}`, 'utf8');
  return cap ? Buffer.concat([head, Buffer.from('security.capability'), cap]) : head;
}

interface FileSum {
  head: Buffer;
  /** Until the file's last byte went by; then its sum. */
  hash?: Hash;
  sum?: string;
}

export class ContextSums {
  /** By path relative to the context root; null once a path was written more than once. */
  private readonly files = new Map<string, FileSum | null>();
  /** The file being unpacked: entries come one after another, so the next one ends it. */
  private open: FileSum | undefined;

  /** The `observe` hook of applyLayer. */
  observe(h: TarHeader, path: string): ((chunk: Buffer) => void) | undefined {
    if (this.open) settle(this.open);
    this.open = undefined;
    if (this.files.has(path) || h.type !== 'file') {
      this.files.set(path, null);
      return undefined;
    }
    const head = tarsumHeader(path, { mode: h.mode, uid: h.uid, gid: h.gid, size: h.size, typeflag: '0', devmajor: 0, devminor: 0 }, h.xattrs.get('security.capability'));
    const hash = createHash('sha256').update(head);
    this.open = { head, hash };
    this.files.set(path, this.open);
    return (chunk) => hash.update(chunk);
  }

  /** The sum of the file at `path` if it was taken from the tar with exactly this header. */
  lookup(path: string, head: Buffer): string | undefined {
    const p = this.files.get(path);
    if (!p || !p.head.equals(head)) return undefined;
    return settle(p);
  }
}

/** Finishes a file's hash (once), keeping only the hex sum. */
function settle(f: FileSum): string {
  if (f.hash) {
    f.sum = f.hash.digest('hex');
    f.hash = undefined;
  }
  return f.sum!;
}
