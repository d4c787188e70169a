/**
 * Plumbing for the volume integration tests: a temporary data-root per test that is checked for
 * leaked mounts (any mount left under it fails the test, after being detached) and removed, and
 * a fake `VolumeUsage` the tests steer.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { umount2, MNT } from '../../../src/sys/index.js';
import type { VolumeUsage } from '../../../src/services/volumes/index.js';

export const isRoot = process.getuid?.() === 0;

export function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter(Boolean)
    .map((line) => line.split(' ')[4]!.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))))
    .filter((m) => m === dir || m.startsWith(`${dir}/`));
}

/** A temp dir, removed after the test; a mount left under it fails the test. */
export function tempDir(t: { after(fn: () => void): void }, prefix = 'skiff-vol-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => {
    const left = mountsUnder(dir);
    for (const m of left.sort().reverse()) {
      try { umount2(m, MNT.DETACH); } catch { /* already gone */ }
    }
    rmSync(dir, { recursive: true, force: true });
    if (left.length) throw new Error(`mounts left under ${dir}: ${left.join(', ')}`);
  });
  return dir;
}

/** Names in the volumes directory (the staging and trash entries included). */
export function volumesDirEntries(dataRoot: string): string[] {
  try {
    return readdirSync(join(dataRoot, 'volumes')).sort();
  } catch {
    return [];
  }
}

export class FakeUsage implements VolumeUsage {
  readonly users = new Map<string, string[]>();
  containersUsing(name: string): string[] {
    return this.users.get(name) ?? [];
  }
}
