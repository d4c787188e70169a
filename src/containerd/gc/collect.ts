/**
 * Mark and sweep. Roots: every image record's target, every live lease's resources, the
 * snapshots an injected provider reports in use (containers' rootfs), and every active snapshot
 * or view that is not scratch space of an unpack, diff or inspect (`extract-…`, `diff-…`, `inspect-…`): a container's
 * writable layer is never collected just because nobody told us about it. Marked snapshots keep
 * their parent chain. Everything else — blobs and snapshots — is removed, snapshots leaves first.
 */
import { isEngineError } from '../../common/errors.js';
import type { Digest, Info, Manager, Provider } from '../content/index.js';
import type { Snapshotter, SnapshotInfo } from '../snapshots/index.js';
import type { ImageStore, LeaseManager } from '../metadata/index.js';
import { markContent } from './mark.js';

/** Snapshots that must survive whatever the images say (containers' rootfs and their parents). */
export interface SnapshotRootProvider {
  snapshotsInUse(): Promise<string[]> | string[];
}

export interface GcDeps {
  content: Manager & Provider;
  snapshotter: Snapshotter;
  images: ImageStore;
  leases?: LeaseManager;
  inUse?: SnapshotRootProvider;
}

export interface GcResult {
  blobsRemoved: Digest[];
  snapshotsRemoved: string[];
  /** Bytes of the removed blobs. */
  bytesRemoved: number;
}

const SCRATCH = /^(extract|diff|inspect)-/;

function depth(byName: Map<string, SnapshotInfo>, name: string): number {
  let n = 0;
  for (let p = byName.get(name)?.parent; p !== undefined && n < 10_000; p = byName.get(p)?.parent) n++;
  return n;
}

export async function collectGarbage(deps: GcDeps): Promise<GcResult> {
  const leases = deps.leases?.list() ?? [];
  const contentRoots = [
    ...deps.images.list().map((r) => r.target),
    ...leases.flatMap((l) => l.resources.filter((r) => r.type === 'content').map((r) => ({ mediaType: '', digest: r.id, size: 0 }))),
  ];
  const info = async (d: Digest): Promise<Info | undefined> => {
    try {
      return await deps.content.info(d);
    } catch (e) {
      if (isEngineError(e) && (e.kind === 'not-found' || e.kind === 'invalid-argument')) return undefined;
      throw e;
    }
  };
  const marked = await markContent(deps.content, info, contentRoots);

  const all = await deps.snapshotter.walk();
  const byName = new Map(all.map((s) => [s.name, s]));
  const roots = new Set<string>([
    ...marked.snapshots,
    ...leases.flatMap((l) => l.resources.filter((r) => r.type === 'snapshot').map((r) => r.id)),
    ...(await deps.inUse?.snapshotsInUse() ?? []),
    ...all.filter((s) => s.kind !== 'committed' && !SCRATCH.test(s.name)).map((s) => s.name),
  ]);
  const keep = new Set<string>();
  for (const r of roots) {
    for (let n: string | undefined = r; n !== undefined && !keep.has(n) && byName.has(n); n = byName.get(n)?.parent) keep.add(n);
  }

  const result: GcResult = { blobsRemoved: [], snapshotsRemoved: [], bytesRemoved: 0 };
  const doomed = all.filter((s) => !keep.has(s.name)).sort((a, b) => depth(byName, b.name) - depth(byName, a.name));
  for (const s of doomed) {
    try {
      await deps.snapshotter.remove(s.name);
      result.snapshotsRemoved.push(s.name);
    } catch (e) {
      if (!isEngineError(e) || e.kind !== 'not-found') throw e;
    }
  }

  const sweep: Info[] = [];
  await deps.content.walk((i) => { sweep.push(i); }, (i) => !marked.content.has(i.digest));
  for (const i of sweep) {
    try {
      await deps.content.delete(i.digest);
      result.blobsRemoved.push(i.digest);
      result.bytesRemoved += i.size;
    } catch (e) {
      if (!isEngineError(e) || e.kind !== 'not-found') throw e;
    }
  }
  return result;
}
