/**
 * The bookkeeping every snapshotter shares — keys, kinds, parents, immutability, conflicts —
 * over a MetaStore. Implementations only say how a snapshot's directory is filled at creation
 * and how it mounts.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { conflict, failedPrecondition, invalidArgument, notFound } from '../../common/errors.js';
import type { Mount, Snapshotter, SnapshotInfo, SnapshotKind, SnapshotOptions, Usage } from './index.js';
import { MetaStore } from './metadata.js';
import type { SnapshotRecord } from './metadata.js';
import { diskUsage } from './usage.js';

export abstract class BaseSnapshotter implements Snapshotter {
  protected constructor(readonly root: string, protected readonly meta: MetaStore) {}

  /** Opens the metadata and deletes directories left by a crash mid-operation. */
  protected static async openStore(root: string): Promise<MetaStore> {
    if (/[,:]/.test(root)) throw invalidArgument(`snapshotter root "${root}" must not contain ',' or ':'`);
    await mkdir(join(root, 'snapshots'), { recursive: true, mode: 0o700 });
    const meta = await MetaStore.open(root);
    const ids = (await readdir(join(root, 'snapshots'))).filter((n) => /^\d+$/.test(n)).map(Number);
    for (const id of meta.orphans(ids)) await rm(join(root, 'snapshots', String(id)), { recursive: true, force: true });
    return meta;
  }

  /** `<root>/snapshots/<id>`. */
  protected dir(id: number): string {
    return join(this.root, 'snapshots', String(id));
  }

  /** `<root>/snapshots/<id>/fs`: the snapshot's files. */
  protected fs(id: number): string {
    return join(this.dir(id), 'fs');
  }

  /** Fills a new snapshot directory (which exists, empty) for `kind` on top of `parents`. */
  protected abstract create(id: number, kind: SnapshotKind, parents: SnapshotRecord[]): Promise<void>;

  /** The mounts of an active snapshot or view, given its committed ancestors (nearest first). */
  protected abstract mountsOf(rec: SnapshotRecord, parents: SnapshotRecord[]): Mount[];

  /** Committed ancestors of a parent name, nearest first. */
  protected chain(parent: string | undefined): SnapshotRecord[] {
    const out: SnapshotRecord[] = [];
    for (let name = parent; name !== undefined;) {
      const rec = this.meta.get(name);
      if (!rec) throw notFound('snapshot', name);
      out.push(rec);
      name = rec.parent;
    }
    return out;
  }

  private record(key: string): SnapshotRecord {
    const rec = this.meta.get(key);
    if (!rec) throw notFound('snapshot', key);
    return rec;
  }

  private info(name: string, r: SnapshotRecord): SnapshotInfo {
    return { kind: r.kind, name, ...(r.parent !== undefined ? { parent: r.parent } : {}), labels: { ...r.labels }, created: r.created, updated: r.updated };
  }

  private async createSnapshot(kind: 'active' | 'view', key: string, parent: string | undefined, opts?: SnapshotOptions): Promise<Mount[]> {
    return this.meta.serialize(async () => {
      if (key === '') throw invalidArgument('snapshot key must not be empty');
      if (this.meta.get(key)) throw conflict(`snapshot "${key}" already exists`);
      const parents = this.chain(parent);
      if (parents[0] && parents[0].kind !== 'committed') throw invalidArgument(`parent snapshot "${parent}" is not committed`);
      const id = this.meta.allocateId();
      const now = new Date().toISOString();
      const rec: SnapshotRecord = { id, kind, labels: { ...opts?.labels }, created: now, updated: now, ...(parent !== undefined ? { parent } : {}) };
      await mkdir(this.dir(id), { mode: 0o700 });
      try {
        await this.create(id, kind, parents);
        await this.meta.update((s) => { s[key] = rec; });
      } catch (e) {
        await rm(this.dir(id), { recursive: true, force: true });
        throw e;
      }
      return this.mountsOf(rec, parents);
    });
  }

  prepare(key: string, parent?: string, opts?: SnapshotOptions): Promise<Mount[]> {
    return this.createSnapshot('active', key, parent, opts);
  }

  view(key: string, parent?: string, opts?: SnapshotOptions): Promise<Mount[]> {
    return this.createSnapshot('view', key, parent, opts);
  }

  commit(name: string, key: string, opts?: SnapshotOptions): Promise<void> {
    return this.meta.serialize(async () => {
      const rec = this.record(key);
      if (rec.kind !== 'active') throw failedPrecondition(`snapshot "${key}" is not active`);
      if (this.meta.get(name)) throw conflict(`snapshot "${name}" already exists`);
      const now = new Date().toISOString();
      await this.meta.update((s) => {
        delete s[key];
        s[name] = { ...rec, kind: 'committed', labels: { ...rec.labels, ...opts?.labels }, updated: now };
      });
    });
  }

  async mounts(key: string): Promise<Mount[]> {
    const rec = this.record(key);
    if (rec.kind === 'committed') throw failedPrecondition(`snapshot "${key}" is committed and cannot be mounted`);
    return this.mountsOf(rec, this.chain(rec.parent));
  }

  remove(key: string): Promise<void> {
    return this.meta.serialize(async () => {
      const rec = this.record(key);
      const child = this.meta.entries().find(([, r]) => r.parent === key);
      if (child) throw failedPrecondition(`cannot remove snapshot "${key}": snapshot "${child[0]}" depends on it`);
      await this.meta.update((s) => { delete s[key]; });
      await rm(this.dir(rec.id), { recursive: true, force: true });
    });
  }

  async stat(key: string): Promise<SnapshotInfo> {
    return this.info(key, this.record(key));
  }

  async walk(): Promise<SnapshotInfo[]> {
    return this.meta.entries().map(([name, r]) => this.info(name, r)).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Disk used by the snapshot's own directory (not its parents'). */
  async usage(key: string): Promise<Usage> {
    return diskUsage(this.fs(this.record(key).id));
  }
}
