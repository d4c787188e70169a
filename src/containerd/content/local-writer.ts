/**
 * The local store's ingest writer. An ingest directory holds `data` (the bytes so far) and
 * `ingest.json` (ref, expected total and digest, start time). The writer appends, hashing as it
 * goes; a writer opened on an existing ingest re-hashes `data` once and continues at its end.
 * Commit verifies, then renames `data` into `blobs/<alg>/<hex>`: rename is atomic, so a blob is
 * either fully there and verified, or absent.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, chmod, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { alreadyExists, failedPrecondition, invalidArgument } from '../../common/errors.js';
import { Digester, type Digest } from './digest.js';
import type { CommitOptions, Status, Writer } from './index.js';
import { unlockIngest } from './locks.js';

export interface IngestRecord {
  ref: string;
  total: number;
  expected?: Digest;
  startedAt: string;
}

/** What the writer needs from its store, kept narrow so the two files stay decoupled. */
export interface WriterHost {
  blobPath(digest: Digest): string;
  blobExists(digest: Digest): Promise<boolean>;
  setLabels(digest: Digest, labels: Record<string, string>): Promise<void>;
  syncDir(dir: string): Promise<void>;
}

export class LocalWriter implements Writer {
  readonly ref: string;
  readonly #dir: string;
  readonly #record: IngestRecord;
  readonly #host: WriterHost;
  #fh: FileHandle | undefined;
  #digester: Digester;
  #offset: number;
  #done = false;

  private constructor(host: WriterHost, dir: string, record: IngestRecord, fh: FileHandle, digester: Digester) {
    this.#host = host;
    this.#dir = dir;
    this.#record = record;
    this.ref = record.ref;
    this.#fh = fh;
    this.#digester = digester;
    this.#offset = digester.size;
  }

  /** Opens the ingest's data file for appending, re-hashing what an earlier session left. */
  static async open(host: WriterHost, dir: string, record: IngestRecord): Promise<LocalWriter> {
    const algorithm = record.expected?.split(':')[0] ?? 'sha256';
    const digester = new Digester(algorithm);
    const data = `${dir}/data`;
    const fh = await open(data, 'a');
    try {
      // Hash the existing prefix by streaming it: partial layers can be large.
      const { size } = await fh.stat();
      if (size > 0) {
        for await (const chunk of createReadStream(data, { end: size - 1 })) digester.update(chunk as Buffer);
      }
    } catch (e) {
      await fh.close();
      throw e;
    }
    return new LocalWriter(host, dir, record, fh, digester);
  }

  get offset(): number {
    return this.#offset;
  }

  digest(): Digest {
    return this.#digester.digest();
  }

  async status(): Promise<Status> {
    const st = await stat(`${this.#dir}/data`);
    return {
      ref: this.ref,
      offset: this.#offset,
      total: this.#record.total,
      ...(this.#record.expected !== undefined ? { expected: this.#record.expected } : {}),
      startedAt: new Date(this.#record.startedAt),
      updatedAt: st.mtime,
    };
  }

  async write(chunk: Uint8Array): Promise<void> {
    const fh = this.#handle();
    let off = 0;
    while (off < chunk.length) {
      const { bytesWritten } = await fh.write(chunk, off, chunk.length - off);
      off += bytesWritten;
    }
    this.#digester.update(chunk);
    this.#offset += chunk.length;
  }

  async truncate(size: 0): Promise<void> {
    if (size !== 0) throw invalidArgument('only truncation to 0 is supported');
    const fh = this.#handle();
    await fh.truncate(0);
    this.#digester = new Digester(this.#digester.algorithm);
    this.#offset = 0;
  }

  async commit(size: number, expected?: Digest, opts: CommitOptions = {}): Promise<void> {
    const fh = this.#handle();
    try {
      await fh.sync();
      await fh.close();
      this.#fh = undefined;
      const { size: onDisk } = await stat(`${this.#dir}/data`);
      if (size > 0 && onDisk !== size) {
        throw failedPrecondition(`unexpected commit size ${onDisk}, expected ${size}`);
      }
      const actual = this.#digester.digest();
      if (expected !== undefined && expected !== '' && actual !== expected) {
        throw failedPrecondition(`unexpected commit digest ${actual}, expected ${expected}`);
      }
      const target = this.#host.blobPath(actual);
      await mkdir(dirname(target), { recursive: true });
      if (await this.#host.blobExists(actual)) throw alreadyExists(`content ${actual}: already exists`);
      // Blobs are immutable: read-only on disk guards against accidental in-place edits.
      await chmod(`${this.#dir}/data`, 0o444);
      await rename(`${this.#dir}/data`, target);
      await this.#host.syncDir(dirname(target));
      if (opts.labels !== undefined && Object.keys(opts.labels).length > 0) {
        await this.#host.setLabels(actual, opts.labels);
      }
    } finally {
      if (this.#fh !== undefined) await this.#fh.close().catch(() => undefined);
      this.#fh = undefined;
      // Whatever the outcome the ingest is spent: a verified blob moved out, a bad one is garbage.
      await rm(this.#dir, { recursive: true, force: true });
      this.#release();
    }
  }

  async close(): Promise<void> {
    if (this.#done) return;
    try {
      if (this.#fh !== undefined) await this.#fh.close();
    } finally {
      this.#fh = undefined;
      this.#release();
    }
  }

  #handle(): FileHandle {
    if (this.#done || this.#fh === undefined) throw failedPrecondition(`writer ${this.ref} is closed`);
    return this.#fh;
  }

  #release(): void {
    if (this.#done) return;
    this.#done = true;
    unlockIngest(this.#dir);
  }
}
