/**
 * A small table of JSON records held in memory and persisted as one file, rewritten atomically
 * (temp file, fsync, rename) on every change. Changes are serialized; the in-memory table moves
 * to the new state only after the write succeeded, so memory and disk never disagree.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeJsonAtomic } from '../../common/atomic-file.js';
import { internal } from '../../common/errors.js';

interface TableFile<T> {
  version: 1;
  records: Record<string, T>;
}

export class JsonTable<T> {
  #records = new Map<string, T>();
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(readonly path: string) {}

  static async open<T>(path: string): Promise<JsonTable<T>> {
    const table = new JsonTable<T>(path);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    try {
      const parsed = JSON.parse(await readFile(path, 'utf8')) as TableFile<T>;
      if (parsed.version !== 1 || typeof parsed.records !== 'object') throw new Error('unknown format');
      table.#records = new Map(Object.entries(parsed.records));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw internal(`metadata ${path} is unreadable: ${(e as Error).message}`, e);
      }
    }
    return table;
  }

  get(key: string): T | undefined {
    return this.#records.get(key);
  }

  values(): T[] {
    return [...this.#records.values()];
  }

  get size(): number {
    return this.#records.size;
  }

  /** Applies `change` to a copy, persists it, then adopts it. One change at a time. */
  update<R>(change: (records: Map<string, T>) => R): Promise<R> {
    const run = this.#queue.then(async () => {
      const next = new Map(this.#records);
      const result = change(next);
      const file: TableFile<T> = { version: 1, records: Object.fromEntries(next) };
      await writeJsonAtomic(this.path, file, 0o600);
      this.#records = next;
      return result;
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
