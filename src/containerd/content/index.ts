/**
 * The content store: immutable blobs addressed by digest, as containerd's `core/content` models
 * it, split into small roles so that callers hold only what they use — a puller needs an
 * `Ingester`, an image exporter a `Provider`, the garbage collector a `Manager`.
 *
 * Writes go through ingests: a named, resumable, exclusively held upload (`ref`) that becomes a
 * blob only when `commit` has verified its size and digest. A reader can never see a partial or
 * unverified blob.
 */
import type { Readable } from 'node:stream';
import type { Digest } from './digest.js';

export type { Digest } from './digest.js';

/** What the store knows about one committed blob. */
export interface Info {
  digest: Digest;
  size: number;
  createdAt: Date;
  updatedAt: Date;
  /** Free-form labels; `containerd.io/gc.ref.content.*` and friends mark GC references. */
  labels: Record<string, string>;
}

/** Progress of one ingest. */
export interface Status {
  ref: string;
  /** Bytes written so far: where a resumed writer continues. */
  offset: number;
  /** Expected total size, 0 when unknown. */
  total: number;
  expected?: Digest;
  startedAt: Date;
  updatedAt: Date;
}

/** The part of a descriptor the store uses. */
export interface BlobDescriptor {
  digest: Digest;
  size?: number;
}

/** Random access to a committed blob. */
export interface ReaderAt {
  readonly size: number;
  /** Reads up to `buf.length` bytes at `offset`; returns the count, 0 at the end. */
  readAt(buf: Uint8Array, offset: number): Promise<number>;
  close(): Promise<void>;
}

export interface ReadOptions {
  /** First byte to read (default 0). */
  offset?: number;
  /** Bytes to read (default: to the end). */
  length?: number;
}

export interface InfoProvider {
  /** Throws not-found when the blob is absent. */
  info(digest: Digest): Promise<Info>;
}

export interface Provider {
  readerAt(desc: BlobDescriptor): Promise<ReaderAt>;
  /** A stream with backpressure over the blob (or a range of it); not-found before any data. */
  read(desc: BlobDescriptor, opts?: ReadOptions): Promise<Readable>;
}

export interface CommitOptions {
  labels?: Record<string, string>;
}

/** An exclusive handle on one ingest. Always `close()` it (in a finally) or commit it. */
export interface Writer {
  readonly ref: string;
  /** Bytes written so far, including those of an earlier, interrupted session. */
  readonly offset: number;
  /** Appends a chunk; resolves once it is written (which is the backpressure). */
  write(chunk: Uint8Array): Promise<void>;
  /** Digest of the bytes written so far. */
  digest(): Digest;
  status(): Promise<Status>;
  /**
   * Verifies size (when `size > 0`) and digest (when given), then makes the blob visible
   * atomically. Mismatch: failed-precondition and the ingest is discarded. A blob that is already
   * present: already-exists (and the ingest is discarded). Releases the writer either way.
   */
  commit(size: number, expected?: Digest, opts?: CommitOptions): Promise<void>;
  /** Only truncation to 0 is supported: restart the ingest from scratch. */
  truncate(size: 0): Promise<void>;
  /** Releases the writer and keeps the ingest so that it can be resumed. */
  close(): Promise<void>;
}

export interface WriterOptions {
  /** Names the ingest; one writer at a time per ref (else unavailable). */
  ref: string;
  /** Expected size and digest; a present blob with that digest gives already-exists. */
  desc?: Partial<BlobDescriptor>;
}

export interface Ingester {
  writer(opts: WriterOptions): Promise<Writer>;
}

export interface IngestManager {
  /** not-found when no ingest has that ref. */
  status(ref: string): Promise<Status>;
  listStatuses(refPrefix?: string): Promise<Status[]>;
  /** Deletes an ingest; unavailable while a writer holds it, not-found when absent. */
  abort(ref: string): Promise<void>;
}

export interface Manager extends InfoProvider {
  /**
   * Updates labels. `fieldpaths` as containerd: `labels` replaces all labels, `labels.<key>` sets
   * (or with an empty value removes) one; none given means `labels`.
   */
  update(info: Pick<Info, 'digest' | 'labels'>, fieldpaths?: string[]): Promise<Info>;
  /** Visits every committed blob; `filter` may skip some. */
  walk(fn: (info: Info) => void | Promise<void>, filter?: (info: Info) => boolean): Promise<void>;
  /** not-found when absent. */
  delete(digest: Digest): Promise<void>;
}

/** Everything at once, for the code that owns the store. */
export interface Store extends Manager, Provider, IngestManager, Ingester {}

export { Digester, digestOf, validateDigest, isDigest, splitDigest } from './digest.js';
export { LocalStore } from './local.js';
export { writeBlob, readBlob, type BlobSource } from './helpers.js';
