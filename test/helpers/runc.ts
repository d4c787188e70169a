/**
 * Drives the real skiff-runc binary in tests: a bundle with a busybox rootfs and a config made
 * from `skiff-runc spec`, a private --root, and a unique cgroup path that the cleanup checks.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, closeSync, existsSync, openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Spec } from '../../src/oci/runtime-spec.js';
import { makeBusyboxRootfs, removeDir, tempDir } from './rootfs.js';

export const RUNC = resolve('bin/skiff-runc');

export interface Bundle {
  dir: string;
  root: string;
  cgroupParent: string;
  spec: Spec;
  write(): void;
  runc(args: string[], input?: string): SpawnSyncReturns<string>;
  runcAsync(args: string[]): ReturnType<typeof spawn>;
  cleanup(): void;
}

export function makeBundle(edit?: (s: Spec) => void): Bundle {
  const dir = tempDir('skiff-bundle-');
  const root = tempDir('skiff-runc-root-');
  chmodSync(dir, 0o755); // reachable from a user namespace's mapped root
  makeBusyboxRootfs(join(dir, 'rootfs'));
  const cgroupParent = `/skiff-test-${randomBytes(4).toString('hex')}`;
  const gen = spawnSync(process.execPath, [RUNC, 'spec', '--bundle', dir], { encoding: 'utf8' });
  if (gen.status !== 0) throw new Error(`skiff-runc spec failed: ${gen.stderr}`);
  const spec = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Spec;
  spec.process!.terminal = false;
  spec.root!.readonly = false;
  spec.linux!.cgroupsPath = `${cgroupParent}/c`;
  edit?.(spec);
  const b: Bundle = {
    dir, root, cgroupParent, spec,
    write() { writeFileSync(join(dir, 'config.json'), JSON.stringify(b.spec)); },
    runc(args, input) {
      // Files, not pipes: a detached container keeps the stdio it inherited open.
      const out = join(root, '.stdout'), err = join(root, '.stderr');
      const fds = [openSync(out, 'w'), openSync(err, 'w')];
      try {
        const r = spawnSync(process.execPath, [RUNC, '--root', root, ...args], {
          encoding: 'utf8', cwd: dir, input, timeout: 60_000, stdio: ['pipe', fds[0]!, fds[1]!],
        });
        return { ...r, stdout: readFileSync(out, 'utf8'), stderr: readFileSync(err, 'utf8') };
      } finally {
        fds.forEach(closeSync);
      }
    },
    runcAsync(args) {
      return spawn(process.execPath, [RUNC, '--root', root, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    },
    cleanup() {
      for (const id of existsSync(root) ? readdirSync(root).filter((n) => !n.startsWith('.')) : []) b.runc(['delete', '--force', id]);
      removeCgroupParent(cgroupParent);
      removeDir(dir);
      removeDir(root);
    },
  };
  b.write();
  return b;
}

/** Every cgroup hierarchy directory a test's containers used; empty after a clean delete. */
export function cgroupDirs(parent: string): string[] {
  const out: string[] = [];
  for (const h of readdirSync('/sys/fs/cgroup')) {
    const p = join('/sys/fs/cgroup', h, parent);
    if (existsSync(p)) out.push(p);
  }
  return out;
}

function removeCgroupParent(parent: string): void {
  for (const p of cgroupDirs(parent)) {
    spawnSync('rmdir', [join(p, 'c'), p]);
    spawnSync('rmdir', [p]);
  }
}

export function mountsUnder(path: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(path));
}
