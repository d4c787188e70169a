/**
 * Diffs of an active snapshot against its parent, for commit, build and `docker diff`. The
 * snapshot's mounts say where the two sides are: an overlay exposes its upperdir (the changes
 * themselves) and lowerdirs; a writable bind (native, or a parentless overlay snapshot) is a
 * full tree compared with a read-only view of the parent.
 */
import { randomBytes } from 'node:crypto';
import type { Writable } from 'node:stream';
import { failedPrecondition } from '../../common/errors.js';
import { changes, writeDiff } from '../archive/index.js';
import type { Change, DiffMode } from '../archive/index.js';
import type { Snapshotter } from './index.js';

interface Sides {
  mode: DiffMode;
  lower: string[];
  upper: string;
  release: () => Promise<void>;
}

async function sides(sn: Snapshotter, key: string): Promise<Sides> {
  const info = await sn.stat(key);
  if (info.kind !== 'active') throw failedPrecondition(`snapshot "${key}" is not active`);
  const mounts = await sn.mounts(key);
  const m = mounts[0]!;
  const opt = (name: string): string | undefined => m.options.find((o) => o.startsWith(`${name}=`))?.slice(name.length + 1);
  const upperdir = opt('upperdir');
  if (m.type === 'overlay' && upperdir) {
    return { mode: 'overlay', lower: opt('lowerdir')?.split(':') ?? [], upper: upperdir, release: async () => undefined };
  }
  if (info.parent === undefined) return { mode: 'trees', lower: [], upper: m.source, release: async () => undefined };
  const viewKey = `diff-${randomBytes(6).toString('hex')}-${key}`;
  const view = await sn.view(viewKey, info.parent);
  return { mode: 'trees', lower: [view[0]!.source], upper: m.source, release: () => sn.remove(viewKey) };
}

/** Writes the layer tar of active snapshot `key`'s changes into `out` (and ends it). */
export async function writeSnapshotDiff(sn: Snapshotter, key: string, out: Writable): Promise<{ size: number }> {
  const s = await sides(sn, key);
  try {
    return await writeDiff(s.lower, s.upper, out, { mode: s.mode });
  } finally {
    await s.release();
  }
}

/** `docker diff` of active snapshot `key`. */
export async function snapshotChanges(sn: Snapshotter, key: string): Promise<Change[]> {
  const s = await sides(sn, key);
  try {
    return await changes(s.lower, s.upper, s.mode);
  } finally {
    await s.release();
  }
}
