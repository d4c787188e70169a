/**
 * Leases: a lease names resources (blobs, snapshots) that the garbage collector must treat as
 * roots until the lease is deleted or expires — how an operation in progress (a pull that has
 * written blobs but no image record yet) keeps its work from being collected. Persisted in
 * `<root>/leases.json` so that leases taken before a crash still protect until they expire.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { alreadyExists, notFound } from '../../common/errors.js';
import type { Lease, LeaseManager, LeaseResource } from './index.js';
import { JsonTable } from './json-table.js';

export class JsonLeaseManager implements LeaseManager {
  private constructor(private readonly table: JsonTable<Lease>) {}

  static async open(root: string): Promise<JsonLeaseManager> {
    return new JsonLeaseManager(await JsonTable.open<Lease>(join(root, 'leases.json')));
  }

  create(opts: { id?: string; expiresInMs?: number; labels?: Record<string, string> } = {}): Promise<Lease> {
    const id = opts.id ?? `lease-${randomBytes(8).toString('hex')}`;
    const now = Date.now();
    return this.table.update((m) => {
      if (m.has(id)) throw alreadyExists(`lease "${id}" already exists`);
      const lease: Lease = {
        id, createdAt: new Date(now).toISOString(), labels: { ...opts.labels }, resources: [],
        ...(opts.expiresInMs !== undefined ? { expiresAt: new Date(now + opts.expiresInMs).toISOString() } : {}),
      };
      m.set(id, lease);
      return lease;
    });
  }

  addResource(leaseId: string, resource: LeaseResource): Promise<void> {
    return this.table.update((m) => {
      const lease = m.get(leaseId);
      if (!lease) throw notFound('lease', leaseId);
      if (lease.resources.some((r) => r.type === resource.type && r.id === resource.id)) return;
      m.set(leaseId, { ...lease, resources: [...lease.resources, { ...resource }] });
    });
  }

  delete(leaseId: string): Promise<void> {
    return this.table.update((m) => {
      if (!m.delete(leaseId)) throw notFound('lease', leaseId);
    });
  }

  /** Leases that have not expired. */
  list(): Lease[] {
    const now = new Date().toISOString();
    return this.table.values().filter((l) => l.expiresAt === undefined || l.expiresAt > now);
  }
}
