/**
 * The native snapshotter, for hosts without overlayfs (or data-roots on overlay): a snapshot is
 * a full copy of its parent in `<root>/snapshots/<id>/fs`, mounted by bind. Committed
 * snapshots are never written again, so a view binds its parent read-only without copying.
 * Layers are unpacked into the copy with whiteouts applied as deletions.
 */
import { mkdir } from 'node:fs/promises';
import { BaseSnapshotter } from './base.js';
import { copyTree } from './copy.js';
import type { Mount, SnapshotKind } from './index.js';
import type { SnapshotRecord } from './metadata.js';

export class NativeSnapshotter extends BaseSnapshotter {
  static async open(root: string): Promise<NativeSnapshotter> {
    return new NativeSnapshotter(root, await BaseSnapshotter.openStore(root));
  }

  protected async create(id: number, kind: SnapshotKind, parents: SnapshotRecord[]): Promise<void> {
    if (kind === 'active' && parents[0]) await copyTree(this.fs(parents[0].id), this.fs(id));
    else await mkdir(this.fs(id), { mode: 0o755 });
  }

  protected mountsOf(rec: SnapshotRecord, parents: SnapshotRecord[]): Mount[] {
    if (rec.kind === 'view') {
      return [{ type: 'bind', source: this.fs(parents[0]?.id ?? rec.id), options: ['ro', 'rbind'] }];
    }
    return [{ type: 'bind', source: this.fs(rec.id), options: ['rw', 'rbind'] }];
  }
}
