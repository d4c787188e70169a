/**
 * Atomic metadata writes: write a temp file in the same directory, fsync it, rename it over the
 * target. A crash at any instant leaves the old or the new content. The directory is fsynced only
 * when the rename creates the name: replacing an existing file needs no directory sync, since
 * losing the rename leaves the old content, which is one of the two allowed outcomes (and an
 * fsync costs milliseconds on every container state change).
 */
import { existsSync, openSync, writeSync, fsyncSync, closeSync, renameSync, unlinkSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

function tempName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

function fsyncDirSync(dir: string): void {
  const fd = openSync(dir, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

export function writeFileAtomicSync(path: string, data: string | Uint8Array, mode = 0o644): void {
  const tmp = tempName(path);
  const fd = openSync(tmp, 'wx', mode);
  try {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw e;
  }
  closeSync(fd);
  const created = !existsSync(path);
  try {
    renameSync(tmp, path);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw e;
  }
  if (created) fsyncDirSync(dirname(path));
}

export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const tmp = tempName(path);
  const fh = await open(tmp, 'wx', mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fh.close();
  const created = !existsSync(path);
  try {
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  if (!created) return;
  const dfh = await open(dirname(path), 'r');
  try { await dfh.sync(); } finally { await dfh.close(); }
}

export function writeJsonAtomicSync(path: string, value: unknown, mode = 0o644): void {
  writeFileAtomicSync(path, JSON.stringify(value), mode);
}

export async function writeJsonAtomic(path: string, value: unknown, mode = 0o644): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value), mode);
}

interface Queued {
  data: string | Uint8Array;
  mode: number;
  waiters: { resolve: () => void; reject: (e: unknown) => void }[];
}

/**
 * Atomic writes serialised per path: a write issued while another to the same path is in flight
 * waits for it, and of several waiting writes only the newest is done (the others resolve with
 * it). Renames therefore land in issue order — a slow early write can never overwrite a later one
 * — and a burst of state changes costs at most two writes.
 */
export class AtomicWriter {
  private readonly slots = new Map<string, { next?: Queued }>();

  write(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
    const slot = this.slots.get(path);
    if (!slot) return this.run(path, data, mode);
    if (slot.next) Object.assign(slot.next, { data, mode });
    else slot.next = { data, mode, waiters: [] };
    const next = slot.next;
    return new Promise((resolve, reject) => next.waiters.push({ resolve, reject }));
  }

  private run(path: string, data: string | Uint8Array, mode: number): Promise<void> {
    const slot: { next?: Queued } = {};
    this.slots.set(path, slot);
    const p = writeFileAtomic(path, data, mode);
    const after = () => {
      const next = slot.next;
      if (!next) {
        this.slots.delete(path);
        return;
      }
      this.run(path, next.data, next.mode).then(
        () => { for (const w of next.waiters) w.resolve(); },
        (e: unknown) => { for (const w of next.waiters) w.reject(e); },
      );
    };
    p.then(after, after);
    return p;
  }
}
