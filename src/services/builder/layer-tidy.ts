/**
 * What makes a build step's layer, looked at in the snapshot's overlay upperdir (the step's
 * changes themselves):
 *  - the runtime creates /etc/hosts, /etc/hostname and /etc/resolv.conf in the container's
 *    rootfs to bind-mount them, which copies /etc up. Docker keeps those in an init layer, so
 *    /etc never reaches a RUN layer unless the command changed it. Once the targets are gone, an
 *    /etc left empty in the upperdir, with the owner and mode it has below, is that copy-up.
 *  - a step that changed nothing has an empty upperdir; Docker then records no layer, only a
 *    history entry marked `empty_layer`.
 * Snapshotters without an upperdir (native) are left as they are.
 */
import { lstat, readdir, rmdir } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import type { Snapshotter } from '../../containerd/snapshots/index.js';
import { lgetxattr } from '../../sys/index.js';

const INIT_DIRS = ['etc'];

interface Sides { upper: string; lower: string[] }

async function overlaySides(sn: Snapshotter, key: string): Promise<Sides | undefined> {
  const m = (await sn.mounts(key))[0];
  if (m?.type !== 'overlay') return undefined;
  const opt = (name: string) => m.options.find((o) => o.startsWith(`${name}=`))?.slice(name.length + 1);
  const upper = opt('upperdir');
  return upper ? { upper, lower: opt('lowerdir')?.split(':') ?? [] } : undefined;
}

async function stat(p: string): Promise<Stats | undefined> {
  return lstat(p).catch(() => undefined);
}

/** The topmost lower entry at `rel` (a whiteout hides it). */
async function below(lower: readonly string[], rel: string): Promise<Stats | undefined> {
  for (const l of lower) {
    const st = await stat(join(l, rel));
    if (st) return st.isCharacterDevice() && st.rdev === 0 ? undefined : st;
  }
  return undefined;
}

function opaque(p: string): boolean {
  try { return lgetxattr(p, 'trusted.overlay.opaque')?.toString() === 'y'; } catch { return false; }
}

/** Removes init-layer copy-ups from a RUN step's upperdir. */
export async function dropInitCopyUps(sn: Snapshotter, key: string): Promise<void> {
  const s = await overlaySides(sn, key);
  if (!s) return;
  for (const rel of INIT_DIRS) {
    const p = join(s.upper, rel);
    const st = await stat(p);
    if (!st?.isDirectory() || opaque(p) || (await readdir(p)).length > 0) continue;
    const low = await below(s.lower, rel);
    if (low && (!low.isDirectory() || low.uid !== st.uid || low.gid !== st.gid || low.mode !== st.mode)) continue;
    await rmdir(p);
  }
}

/** True when the active snapshot `key` holds no change at all (an empty upperdir). */
export async function unchangedSnapshot(sn: Snapshotter, key: string): Promise<boolean> {
  const s = await overlaySides(sn, key);
  if (!s) return false;
  const names = await readdir(s.upper).catch(() => ['?']);
  return names.length === 0 && !opaque(s.upper);
}
