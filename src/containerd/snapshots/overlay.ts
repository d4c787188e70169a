/**
 * The overlayfs snapshotter. Each snapshot owns `<root>/snapshots/<id>/fs` (its layer: the
 * upperdir while active, a lowerdir once committed) and `work` (overlayfs scratch space). An
 * active snapshot mounts as an overlay of its parents' fs dirs, nearest parent first; with no
 * parent it is a plain bind of its own fs. A view of one parent is a read-only bind of that
 * parent; of several, an overlay without upperdir (read-only by construction).
 * Layers are unpacked straight into the upperdir with overlay whiteouts (see unpack.ts).
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isOverlayFs } from '../../sys/index.js';
import { BaseSnapshotter } from './base.js';
import type { Mount, SnapshotKind } from './index.js';
import type { SnapshotRecord } from './metadata.js';

/** True when the kernel has overlayfs and `root` can hold upperdirs (it is not itself overlay). */
export async function overlaySupported(root: string): Promise<boolean> {
  const filesystems = await readFile('/proc/filesystems', 'utf8').catch(() => '');
  if (!/\toverlay$/m.test(filesystems)) return false;
  return !(await isOverlayFs(root).catch(() => true));
}

export class OverlaySnapshotter extends BaseSnapshotter {
  static async open(root: string): Promise<OverlaySnapshotter> {
    return new OverlaySnapshotter(root, await BaseSnapshotter.openStore(root));
  }

  protected async create(id: number, kind: SnapshotKind): Promise<void> {
    await mkdir(this.fs(id), { mode: 0o755 });
    if (kind === 'active') await mkdir(join(this.dir(id), 'work'), { mode: 0o700 });
  }

  protected mountsOf(rec: SnapshotRecord, parents: SnapshotRecord[]): Mount[] {
    const lowers = parents.map((p) => this.fs(p.id));
    if (rec.kind === 'view') {
      if (lowers.length === 0) return [{ type: 'bind', source: this.fs(rec.id), options: ['ro', 'rbind'] }];
      if (lowers.length === 1) return [{ type: 'bind', source: lowers[0]!, options: ['ro', 'rbind'] }];
      return [{ type: 'overlay', source: 'overlay', options: [`lowerdir=${lowers.join(':')}`] }];
    }
    if (lowers.length === 0) return [{ type: 'bind', source: this.fs(rec.id), options: ['rw', 'rbind'] }];
    return [{
      type: 'overlay',
      source: 'overlay',
      options: [
        // index=off: the overlay index would pin upper inodes to these exact lowers, which
        // breaks re-mounting a container's snapshot after its parents were unpacked again.
        'index=off',
        `workdir=${join(this.dir(rec.id), 'work')}`,
        `upperdir=${this.fs(rec.id)}`,
        `lowerdir=${lowers.join(':')}`,
      ],
    }];
  }
}
