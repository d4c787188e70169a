/**
 * `RUN --mount=type=cache` directories: one directory per cache id (the target path when no id
 * is given) under `<data-root>/builder/cache-mounts/`, kept across builds and never part of an
 * image. Sharing follows BuildKit: `shared` lets concurrent steps use the directory together,
 * `locked` makes them take turns, and `private` gives a step that finds the directory in use a
 * fresh empty one of its own, dropped afterwards. A new directory is created with the mount's
 * uid/gid/mode (root, 0755 by default) and, with `from=`, seeded from that stage or image.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmod, chown, lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Mount } from '../instructions/mount.js';

const inUse = new Map<string, number>();
const queues = new Map<string, Promise<void>>();

export interface CacheMountLease {
  dir: string;
  release(): Promise<void>;
}

/** Where cache mounts live. */
export function cacheMountsRoot(stateDir: string): string {
  return join(stateDir, 'cache-mounts');
}

async function ensureDir(dir: string, m: Mount, seed?: (dir: string) => Promise<void>): Promise<void> {
  if (await lstat(dir).then(() => true, () => false)) return;
  const tmp = `${dir}.new-${randomBytes(4).toString('hex')}`;
  await mkdir(tmp, { recursive: true });
  try {
    if (seed) await seed(tmp);
    await chown(tmp, m.uid ?? 0, m.gid ?? 0);
    await chmod(tmp, m.mode ?? 0o755);
    await rename(tmp, dir).catch(async () => { await rm(tmp, { recursive: true, force: true }); });
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Takes the cache directory for mount `m` for the duration of one RUN. */
export async function acquireCacheMount(stateDir: string, m: Mount, seed?: (dir: string) => Promise<void>): Promise<CacheMountLease> {
  const id = m.cacheId || m.target;
  const key = createHash('sha256').update(id).digest('hex');
  const root = cacheMountsRoot(stateDir);
  const dir = join(root, key);
  const sharing = m.cacheSharing || 'shared';
  if (sharing === 'private' && (inUse.get(dir) ?? 0) > 0) {
    const own = join(root, `private-${randomBytes(8).toString('hex')}`);
    await ensureDir(own, m, seed);
    return { dir: own, release: () => rm(own, { recursive: true, force: true }) };
  }
  let unlock: () => void = () => undefined;
  if (sharing === 'locked') {
    const prev = queues.get(dir) ?? Promise.resolve();
    const mine = new Promise<void>((resolve) => { unlock = resolve; });
    const chained = prev.then(() => mine);
    queues.set(dir, chained);
    await prev;
    unlock = ((done) => () => { done(); if (queues.get(dir) === chained) queues.delete(dir); })(unlock);
  }
  inUse.set(dir, (inUse.get(dir) ?? 0) + 1);
  try {
    await ensureDir(dir, m, seed);
  } catch (e) {
    inUse.set(dir, inUse.get(dir)! - 1);
    unlock();
    throw e;
  }
  return {
    dir,
    release: async () => {
      const n = inUse.get(dir)! - 1;
      if (n <= 0) inUse.delete(dir); else inUse.set(dir, n);
      unlock();
    },
  };
}

/** Removes the cache mount directories no step is using (`builder prune --all`); their ids. */
export async function pruneCacheMounts(stateDir: string): Promise<string[]> {
  const root = cacheMountsRoot(stateDir);
  const names = await readdir(root).catch(() => [] as string[]);
  const gone: string[] = [];
  for (const name of names) {
    const dir = join(root, name);
    if ((inUse.get(dir) ?? 0) > 0 || name.startsWith('private-')) continue;
    await rm(dir, { recursive: true, force: true });
    gone.push(name);
  }
  return gone;
}
