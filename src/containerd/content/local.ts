/**
 * The local content store: `<root>/blobs/<alg>/<hex>` for committed blobs, `<root>/ingest/<id>/`
 * for uploads in progress and `<root>/labels/<alg>/<hex>.json` for label metadata. An ingest
 * directory is named by the sha256 of its ref, because refs are arbitrary strings (they carry
 * `:` and `/`); the ref itself is kept inside.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { writeJsonAtomic } from '../../common/atomic-file.js';
import { alreadyExists, invalidArgument, notFound, unavailable, toEngineError } from '../../common/errors.js';
import { digestError, validateDigest, type Digest } from './digest.js';
import type {
  BlobDescriptor, Info, ReadOptions, ReaderAt, Status, Store, Writer, WriterOptions,
} from './index.js';
import { LocalWriter, type IngestRecord, type WriterHost } from './local-writer.js';
import { KeyedMutex, tryLockIngest, unlockIngest } from './locks.js';

/** containerd's limit on one label (key plus value), so labels stay small metadata. */
const MAX_LABEL_SIZE = 4096;

interface LabelFile {
  labels: Record<string, string>;
  updatedAt: string;
}

function isNotFound(e: unknown): boolean {
  return (e as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

function validateLabels(labels: Record<string, string>): void {
  for (const [k, v] of Object.entries(labels)) {
    if (k.length + v.length > MAX_LABEL_SIZE) {
      throw invalidArgument(`label key and value greater than maximum size (${MAX_LABEL_SIZE} bytes), key: ${k.slice(0, 64)}`);
    }
  }
}

export class LocalStore implements Store, WriterHost {
  readonly root: string;
  readonly #labelsMutex = new KeyedMutex();

  constructor(root: string) {
    this.root = root;
  }

  blobPath(digest: Digest): string {
    const i = digest.indexOf(':');
    return `${this.root}/blobs/${digest.slice(0, i)}/${digest.slice(i + 1)}`;
  }

  #labelPath(digest: Digest): string {
    const i = digest.indexOf(':');
    return `${this.root}/labels/${digest.slice(0, i)}/${digest.slice(i + 1)}.json`;
  }

  #ingestDir(ref: string): string {
    return `${this.root}/ingest/${createHash('sha256').update(ref).digest('hex')}`;
  }

  async blobExists(digest: Digest): Promise<boolean> {
    try {
      await stat(this.blobPath(digest));
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw toEngineError(e);
    }
  }

  async syncDir(dir: string): Promise<void> {
    const fh = await open(dir, 'r');
    try { await fh.sync(); } finally { await fh.close(); }
  }

  async #readLabels(digest: Digest): Promise<LabelFile | undefined> {
    try {
      return JSON.parse(await readFile(this.#labelPath(digest), 'utf8')) as LabelFile;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw toEngineError(e);
    }
  }

  async setLabels(digest: Digest, labels: Record<string, string>): Promise<void> {
    await this.#labelsMutex.run(digest, () => this.#writeLabels(digest, labels));
  }

  async #writeLabels(digest: Digest, labels: Record<string, string>): Promise<void> {
    validateLabels(labels);
    const path = this.#labelPath(digest);
    await mkdir(dirname(path), { recursive: true });
    await writeJsonAtomic(path, { labels, updatedAt: new Date().toISOString() } satisfies LabelFile);
  }

  async info(digest: Digest): Promise<Info> {
    validateDigest(digest);
    let st;
    try {
      st = await stat(this.blobPath(digest));
    } catch (e) {
      if (isNotFound(e)) throw notFound('blob', digest);
      throw toEngineError(e);
    }
    const meta = await this.#readLabels(digest);
    return {
      digest,
      size: st.size,
      createdAt: st.mtime,
      updatedAt: meta !== undefined ? new Date(meta.updatedAt) : st.mtime,
      labels: { ...(meta?.labels ?? {}) },
    };
  }

  async update(info: Pick<Info, 'digest' | 'labels'>, fieldpaths: string[] = []): Promise<Info> {
    const { digest } = info;
    await this.info(digest);
    const paths = fieldpaths.length === 0 ? ['labels'] : fieldpaths;
    await this.#labelsMutex.run(digest, async () => {
      let labels = { ...((await this.#readLabels(digest))?.labels ?? {}) };
      for (const p of paths) {
        if (p === 'labels') {
          labels = { ...info.labels };
        } else if (p.startsWith('labels.')) {
          const key = p.slice('labels.'.length);
          const value = info.labels[key];
          if (value === undefined || value === '') delete labels[key];
          else labels[key] = value;
        } else {
          throw invalidArgument(`cannot update ${JSON.stringify(p)} field on content info ${JSON.stringify(digest)}`);
        }
      }
      await this.#writeLabels(digest, labels);
    });
    return this.info(digest);
  }

  async walk(fn: (info: Info) => void | Promise<void>, filter?: (info: Info) => boolean): Promise<void> {
    let algs: string[];
    try {
      algs = await readdir(`${this.root}/blobs`);
    } catch (e) {
      if (isNotFound(e)) return;
      throw toEngineError(e);
    }
    for (const alg of algs.sort()) {
      for (const hex of (await readdir(`${this.root}/blobs/${alg}`)).sort()) {
        const digest = `${alg}:${hex}`;
        if (digestError(digest) !== null) continue; // stray files are not content
        let info: Info;
        try {
          info = await this.info(digest);
        } catch {
          continue; // deleted while walking
        }
        if (filter === undefined || filter(info)) await fn(info);
      }
    }
  }

  async delete(digest: Digest): Promise<void> {
    validateDigest(digest);
    try {
      await rm(this.blobPath(digest));
    } catch (e) {
      if (isNotFound(e)) throw notFound('blob', digest);
      throw toEngineError(e);
    }
    await rm(this.#labelPath(digest), { force: true });
  }

  async readerAt(desc: BlobDescriptor): Promise<ReaderAt> {
    validateDigest(desc.digest);
    let fh;
    try {
      fh = await open(this.blobPath(desc.digest), 'r');
    } catch (e) {
      if (isNotFound(e)) throw notFound('blob', desc.digest);
      throw toEngineError(e);
    }
    const { size } = await fh.stat();
    const handle = fh;
    return {
      size,
      async readAt(buf: Uint8Array, offset: number): Promise<number> {
        return (await handle.read(buf, 0, buf.length, offset)).bytesRead;
      },
      close: () => handle.close(),
    };
  }

  async read(desc: BlobDescriptor, opts: ReadOptions = {}): Promise<Readable> {
    const { size } = await this.info(desc.digest);
    const start = opts.offset ?? 0;
    if (start < 0 || start > size) throw invalidArgument(`offset ${start} out of range for ${desc.digest} (size ${size})`);
    const end = opts.length === undefined ? size : Math.min(size, start + opts.length);
    if (end <= start) {
      return Readable.from([]);
    }
    return createReadStream(this.blobPath(desc.digest), { start, end: end - 1 });
  }

  async writer(opts: WriterOptions): Promise<Writer> {
    const { ref } = opts;
    if (ref === '') throw invalidArgument('ref must not be empty');
    const expected = opts.desc?.digest;
    if (expected !== undefined) validateDigest(expected);
    const dir = this.#ingestDir(ref);
    if (!tryLockIngest(dir)) throw unavailable(`ref ${ref} locked`);
    try {
      if (expected !== undefined && (await this.blobExists(expected))) {
        throw alreadyExists(`content ${expected}: already exists`);
      }
      const total = opts.desc?.size ?? 0;
      const existing = await this.#readIngest(dir);
      if (existing !== undefined) {
        if (total > 0 && existing.total > 0 && existing.total !== total) {
          throw invalidArgument(`ingest ${ref}: provided total ${total} differs from status ${existing.total}`);
        }
        if (expected !== undefined && existing.expected !== undefined && existing.expected !== expected) {
          throw invalidArgument(`ingest ${ref}: expected digest ${expected} differs from status ${existing.expected}`);
        }
      }
      const record: IngestRecord = {
        ref,
        total: total || existing?.total || 0,
        startedAt: existing?.startedAt ?? new Date().toISOString(),
      };
      const exp = expected ?? existing?.expected;
      if (exp !== undefined) record.expected = exp;
      if (existing === undefined || existing.total !== record.total || existing.expected !== record.expected) {
        await mkdir(dir, { recursive: true });
        await writeJsonAtomic(`${dir}/ingest.json`, record);
      }
      return await LocalWriter.open(this, dir, record);
    } catch (e) {
      unlockIngest(dir);
      throw e;
    }
  }

  async #readIngest(dir: string): Promise<IngestRecord | undefined> {
    try {
      return JSON.parse(await readFile(`${dir}/ingest.json`, 'utf8')) as IngestRecord;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw toEngineError(e);
    }
  }

  async #statusOf(dir: string): Promise<Status | undefined> {
    const record = await this.#readIngest(dir);
    if (record === undefined) return undefined;
    let offset = 0;
    let updatedAt = new Date(record.startedAt);
    try {
      const st = await stat(`${dir}/data`);
      offset = st.size;
      updatedAt = st.mtime;
    } catch (e) {
      if (!isNotFound(e)) throw toEngineError(e);
    }
    return {
      ref: record.ref,
      offset,
      total: record.total,
      ...(record.expected !== undefined ? { expected: record.expected } : {}),
      startedAt: new Date(record.startedAt),
      updatedAt,
    };
  }

  async status(ref: string): Promise<Status> {
    const s = await this.#statusOf(this.#ingestDir(ref));
    if (s === undefined) throw notFound('ingest', ref);
    return s;
  }

  async listStatuses(refPrefix = ''): Promise<Status[]> {
    let dirs: string[];
    try {
      dirs = await readdir(`${this.root}/ingest`);
    } catch (e) {
      if (isNotFound(e)) return [];
      throw toEngineError(e);
    }
    const out: Status[] = [];
    for (const d of dirs) {
      const s = await this.#statusOf(`${this.root}/ingest/${d}`);
      if (s !== undefined && s.ref.startsWith(refPrefix)) out.push(s);
    }
    return out.sort((a, b) => a.ref.localeCompare(b.ref));
  }

  async abort(ref: string): Promise<void> {
    const dir = this.#ingestDir(ref);
    if (!tryLockIngest(dir)) throw unavailable(`ref ${ref} locked`);
    try {
      if ((await this.#readIngest(dir)) === undefined) throw notFound('ingest', ref);
      await rm(dir, { recursive: true, force: true });
    } finally {
      unlockIngest(dir);
    }
  }
}
