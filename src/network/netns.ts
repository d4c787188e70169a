/**
 * Persistent network namespaces. A network namespace lives as long as a process is in it or a
 * file refers to it; skiff keeps one per container by bind-mounting the namespace (an nsfs inode)
 * onto a file under the exec-root, as `ip netns add` does under /run/netns. The container's OCI
 * spec then joins it by path, so its network is configured before its process starts. util-linux
 * `unshare --net=<file> <cmd>` creates the namespace, bind-mounts it and execs `cmd` inside it, so
 * creating and configuring a namespace costs one process.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { MNT, umount2 } from '../sys/index.js';
import { ipBatch } from './exec.js';

/** Creates the namespace at `path` and runs `setup` (ip batch lines) inside it; lo is brought up. */
export async function createNetns(path: string, setup: string[] = []): Promise<void> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  // unshare bind-mounts onto an existing file only.
  closeSync(openSync(path, 'a', 0o444));
  try {
    await ipBatch(['link set lo up', ...setup], ['unshare', `--net=${path}`]);
  } catch (e) {
    removeNetns(path);
    throw e;
  }
}

/** `ip` inside an existing namespace, by path. */
export async function ipBatchIn(path: string, lines: string[]): Promise<void> {
  await ipBatch(lines, ['nsenter', `--net=${path}`]);
}

/** Unmounts and deletes the namespace file; the namespace dies with its last user. Idempotent. */
export function removeNetns(path: string): void {
  try { umount2(path, MNT.DETACH); } catch { /* not mounted (already removed or never made) */ }
  try { unlinkSync(path); } catch { /* already gone */ }
}

/** Whether `path` is a mounted namespace file (a leftover plain file is not). */
export function isNetnsMounted(path: string): boolean {
  if (!existsSync(path)) return false;
  const mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
  return mountinfo.split('\n').some((line) => line.split(' ')[4] === path);
}
