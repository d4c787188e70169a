/**
 * Metadata of the lifecycle layer, as containerd's `core/metadata` keeps it: image records (a
 * name pointing at a target descriptor — a manifest or an index — with labels and times) and
 * leases (named sets of resources the garbage collector must keep while an operation such as a
 * pull is under way). Records are served from memory and persisted atomically as JSON under the
 * data-root, so hot reads never touch the disk and a crash leaves the old or the new table.
 */
import type { Descriptor } from '../../oci/image-spec.js';

export interface ImageRecord {
  /** Fully qualified reference (`docker.io/library/busybox:latest`, `…@sha256:…`) or an internal name. */
  name: string;
  target: Descriptor;
  labels: Record<string, string>;
  /** RFC 3339. */
  createdAt: string;
  updatedAt: string;
}

export interface ImageStore {
  get(name: string): ImageRecord | undefined;
  /** Every record, in no particular order; the array is a snapshot the caller may keep. */
  list(): ImageRecord[];
  /** Creates or replaces records in one atomic write; returns the records as stored. */
  put(records: ReadonlyArray<Omit<ImageRecord, 'createdAt' | 'updatedAt'> & { createdAt?: string }>): Promise<ImageRecord[]>;
  /** Deletes records by name in one atomic write; absent names are ignored. Returns those deleted. */
  delete(names: readonly string[]): Promise<ImageRecord[]>;
}

export type LeaseResourceType = 'content' | 'snapshot';

export interface LeaseResource {
  type: LeaseResourceType;
  /** A digest for content, a snapshot key or name for snapshots. */
  id: string;
}

export interface Lease {
  id: string;
  createdAt: string;
  /** RFC 3339; an expired lease no longer protects anything. */
  expiresAt?: string;
  labels: Record<string, string>;
  resources: LeaseResource[];
}

export interface LeaseManager {
  create(opts?: { id?: string; expiresInMs?: number; labels?: Record<string, string> }): Promise<Lease>;
  addResource(leaseId: string, resource: LeaseResource): Promise<void>;
  delete(leaseId: string): Promise<void>;
  list(): Lease[];
}

export { JsonImageStore } from './images.js';
export { JsonLeaseManager } from './leases.js';
