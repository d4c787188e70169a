/**
 * Image records persisted in `<root>/images.json`. Names are unique; a record is replaced by
 * writing the same name again (a re-pull moving a tag). Listing is a copy of the in-memory table,
 * which is what lets `GET /images/json` answer hundreds of images in well under a millisecond
 * per image.
 */
import { join } from 'node:path';
import { invalidArgument } from '../../common/errors.js';
import { validateDigest } from '../content/digest.js';
import type { ImageRecord, ImageStore } from './index.js';
import { JsonTable } from './json-table.js';

export class JsonImageStore implements ImageStore {
  private constructor(private readonly table: JsonTable<ImageRecord>) {}

  /** Opens (or creates) the image table under `root` (e.g. `<data-root>/images`). */
  static async open(root: string): Promise<JsonImageStore> {
    return new JsonImageStore(await JsonTable.open<ImageRecord>(join(root, 'images.json')));
  }

  get(name: string): ImageRecord | undefined {
    return this.table.get(name);
  }

  list(): ImageRecord[] {
    return this.table.values();
  }

  async put(records: ReadonlyArray<Omit<ImageRecord, 'createdAt' | 'updatedAt'> & { createdAt?: string }>): Promise<ImageRecord[]> {
    for (const r of records) {
      if (!r.name) throw invalidArgument('image record name must not be empty');
      validateDigest(r.target.digest);
    }
    const now = new Date().toISOString();
    return this.table.update((m) => records.map((r) => {
      const old = m.get(r.name);
      const rec: ImageRecord = {
        name: r.name,
        target: { ...r.target },
        labels: { ...r.labels },
        createdAt: r.createdAt ?? old?.createdAt ?? now,
        updatedAt: now,
      };
      m.set(r.name, rec);
      return rec;
    }));
  }

  delete(names: readonly string[]): Promise<ImageRecord[]> {
    return this.table.update((m) => {
      const out: ImageRecord[] = [];
      for (const n of names) {
        const rec = m.get(n);
        if (rec) {
          out.push(rec);
          m.delete(n);
        }
      }
      return out;
    });
  }
}
