/**
 * The container records, held in memory (hot API reads never touch the disk) and persisted
 * atomically under <data-root>/containers/<id>/ as config.v2.json and hostconfig.json, like
 * dockerd. Lookup as Docker does it: full id, name (with or without the slash), unique id prefix.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { AtomicWriter } from '../../common/atomic-file.js';
import { EngineError, conflict, notFound } from '../../common/errors.js';
import type { ContainerRecord } from './record.js';

export class ContainerStore {
  private byId = new Map<string, ContainerRecord>();
  private byName = new Map<string, string>();

  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true, mode: 0o710 });
  }

  dir(id: string): string {
    return join(this.root, id);
  }

  /** Loads every persisted record; broken ones are skipped and reported. */
  load(onError: (id: string, e: unknown) => void = () => undefined): ContainerRecord[] {
    for (const id of readdirSync(this.root)) {
      try {
        const rec = JSON.parse(readFileSync(join(this.root, id, 'config.v2.json'), 'utf8')) as ContainerRecord;
        rec.HostConfig = JSON.parse(readFileSync(join(this.root, id, 'hostconfig.json'), 'utf8'));
        this.byId.set(rec.Id, rec);
        this.byName.set(rec.Name, rec.Id);
      } catch (e) {
        onError(id, e);
      }
    }
    return [...this.byId.values()];
  }

  all(): ContainerRecord[] {
    return [...this.byId.values()];
  }

  count(): number {
    return this.byId.size;
  }

  nameTaken(name: string): boolean {
    return this.byName.has(name);
  }

  /** Reserves a name for a new container (Docker's conflict wording). */
  reserve(name: string, id: string): void {
    const owner = this.byName.get(name);
    if (owner && owner !== id) {
      throw conflict(`Conflict. The container name "${name}" is already in use by container "${owner}". You have to remove (or rename) that container to be able to reuse that name.`);
    }
    this.byName.set(name, id);
  }

  release(name: string, id: string): void {
    if (this.byName.get(name) === id) this.byName.delete(name);
  }

  find(ref: string): ContainerRecord | undefined {
    const direct = this.byId.get(ref);
    if (direct) return direct;
    const byName = this.byName.get(ref.startsWith('/') ? ref : `/${ref}`);
    if (byName) return this.byId.get(byName);
    if (!/^[0-9a-f]+$/.test(ref)) return undefined;
    let found: ContainerRecord | undefined;
    for (const [id, rec] of this.byId) {
      if (!id.startsWith(ref)) continue;
      if (found) throw new EngineError('invalid-argument', `multiple IDs found with provided prefix: ${ref}`);
      found = rec;
    }
    return found;
  }

  get(ref: string): ContainerRecord {
    const rec = ref ? this.find(ref) : undefined;
    if (!rec) throw notFound('container', ref);
    return rec;
  }

  /**
   * A digest of the HostConfig as last written, so state-only saves skip rewriting
   * hostconfig.json (a digest, not the text: this map lives as long as the containers).
   */
  private writtenHostConfig = new Map<string, string>();
  private readonly writer = new AtomicWriter();

  async save(rec: ContainerRecord): Promise<void> {
    const dir = this.dir(rec.Id);
    mkdirSync(dir, { recursive: true, mode: 0o710 });
    const { HostConfig, ...rest } = rec;
    const hc = JSON.stringify(HostConfig);
    const digest = createHash('sha1').update(hc).digest('base64');
    const writes = [this.writer.write(join(dir, 'config.v2.json'), JSON.stringify(rest), 0o600)];
    if (this.writtenHostConfig.get(rec.Id) !== digest) {
      this.writtenHostConfig.set(rec.Id, digest);
      writes.push(this.writer.write(join(dir, 'hostconfig.json'), hc, 0o644).catch((e: unknown) => {
        this.writtenHostConfig.delete(rec.Id);
        throw e;
      }));
    }
    await Promise.all(writes);
    this.byId.set(rec.Id, rec);
    this.byName.set(rec.Name, rec.Id);
  }

  rename(rec: ContainerRecord, newName: string): void {
    this.reserve(newName, rec.Id);
    this.byName.delete(rec.Name);
    rec.Name = newName;
  }

  remove(rec: ContainerRecord): void {
    this.byId.delete(rec.Id);
    this.writtenHostConfig.delete(rec.Id);
    this.release(rec.Name, rec.Id);
    rmSync(this.dir(rec.Id), { recursive: true, force: true });
  }
}
