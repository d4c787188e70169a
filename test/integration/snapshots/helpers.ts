/**
 * Shared plumbing for the snapshot integration tests: per-test temp dirs that are always
 * unmounted and removed, and a check that no mount under them is left behind.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { umount2, MNT } from '../../../src/sys/index.js';

/** Mount points listed in /proc/self/mountinfo (octal escapes decoded). */
export function mountPoints(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter(Boolean).map((line) => {
    const field = line.split(' ')[4]!;
    return field.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  });
}

export function mountsUnder(dir: string): string[] {
  return mountPoints().filter((m) => m === dir || m.startsWith(`${dir}/`));
}

/** A temp dir removed after the test, after detaching anything still mounted in it. */
export function tempDir(t: { after(fn: () => void): void }, prefix = 'skiff-snap-'): string {
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

export const isRoot = process.getuid?.() === 0;
