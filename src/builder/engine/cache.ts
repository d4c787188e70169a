/**
 * The build cache index (`<data-root>/builder/cache.json`): which image a step produced, keyed
 * by the parent image, the step's history line and whatever else decides its result (the run
 * config, checksums of copied files). The legacy builder finds cache hits by scanning images'
 * configs; an explicit index gives the same answer without scanning, and a hit is only used
 * while its image still exists.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../common/atomic-file.js';

export interface CacheProbe {
  parent: string | undefined;
  createdBy: string;
  /** The run config in effect, and any extra input (file checksums, flags). */
  extra: unknown;
}

export function cacheKey(p: CacheProbe): string {
  return createHash('sha256').update(JSON.stringify([p.parent ?? '', p.createdBy, p.extra])).digest('hex');
}

export class BuildCache {
  private entries: Record<string, string>;
  private saving: Promise<void> = Promise.resolve();

  private constructor(private readonly file: string, entries: Record<string, string>) {
    this.entries = entries;
  }

  static open(dir: string): BuildCache {
    const file = join(dir, 'cache.json');
    let entries: Record<string, string> = {};
    try { entries = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>; } catch { /* no index yet */ }
    return new BuildCache(file, entries);
  }

  get(key: string): string | undefined {
    return this.entries[key];
  }

  /** Records a result; writes are serialised so the file is always one whole version. */
  put(key: string, imageId: string): Promise<void> {
    this.entries[key] = imageId;
    return this.persist();
  }

  /** Forgets entries (all, or those whose image no longer exists); returns their keys. */
  async prune(exists: (id: string) => boolean, all: boolean): Promise<string[]> {
    const gone: string[] = [];
    for (const [k, id] of Object.entries(this.entries)) {
      if (all || !exists(id)) { delete this.entries[k]; gone.push(k); }
    }
    await this.persist();
    return gone;
  }

  private persist(): Promise<void> {
    const snapshot = { ...this.entries };
    this.saving = this.saving.then(() => writeJsonAtomic(this.file, snapshot), () => writeJsonAtomic(this.file, snapshot));
    return this.saving;
  }
}
