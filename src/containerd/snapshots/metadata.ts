/**
 * Snapshot metadata: one JSON file per snapshotter root, rewritten atomically on every change,
 * so a crash leaves the old or the new table. Directories are created before a record refers
 * to them and removed after the record is gone; `orphans()` lists directories no record owns,
 * which startup deletes. One process owns a root; operations are serialized in-process.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../common/atomic-file.js';
import { internal } from '../../common/errors.js';
import type { SnapshotKind } from './index.js';

export interface SnapshotRecord {
  /** Directory number under `<root>/snapshots/`; short on purpose (overlay option length). */
  id: number;
  kind: SnapshotKind;
  parent?: string;
  labels: Record<string, string>;
  created: string;
  updated: string;
}

interface MetaFile {
  version: 1;
  nextId: number;
  snapshots: Record<string, SnapshotRecord>;
}

export class MetaStore {
  private data: MetaFile = { version: 1, nextId: 1, snapshots: {} };
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly path: string) {}

  static async open(root: string): Promise<MetaStore> {
    const store = new MetaStore(join(root, 'metadata.json'));
    try {
      const parsed = JSON.parse(await readFile(store.path, 'utf8')) as MetaFile;
      if (parsed.version !== 1 || typeof parsed.nextId !== 'number') throw new Error('unknown format');
      store.data = parsed;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw internal(`snapshot metadata ${store.path} is unreadable: ${(e as Error).message}`, e);
      }
    }
    return store;
  }

  /** Runs `fn` after every earlier operation finished: one writer at a time. */
  serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  get(key: string): SnapshotRecord | undefined {
    return Object.hasOwn(this.data.snapshots, key) ? this.data.snapshots[key] : undefined;
  }

  entries(): Array<[string, SnapshotRecord]> {
    return Object.entries(this.data.snapshots);
  }

  allocateId(): number {
    return this.data.nextId++;
  }

  /** Applies a change to the table and persists it; the in-memory table follows only on success. */
  async update(change: (snapshots: Record<string, SnapshotRecord>) => void): Promise<void> {
    const next: MetaFile = structuredClone(this.data);
    next.nextId = this.data.nextId;
    change(next.snapshots);
    await writeJsonAtomic(this.path, next, 0o600);
    this.data = next;
  }

  /** Directory ids present in `ids` that no record owns. */
  orphans(ids: readonly number[]): number[] {
    const owned = new Set(Object.values(this.data.snapshots).map((r) => r.id));
    return ids.filter((id) => !owned.has(id));
  }
}
