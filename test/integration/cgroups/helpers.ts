/**
 * Shared pieces of the cgroup integration tests: unique cgroup paths, child processes that wait
 * on stdin until they have been moved into the cgroup, and checks that nothing is left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import assert from 'node:assert/strict';
import type { CgroupManager } from '../../../src/runtime/cgroups/index.js';
import { writeCgroupFile } from '../../../src/runtime/cgroups/fs.js';

export const BUSYBOX = '/usr/bin/busybox';
export const notRoot = process.getuid?.() !== 0 ? 'cgroup integration tests need root' : false;

export function testPath(tag: string): string {
  return `/skiff-test-${tag}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

export interface Child {
  proc: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Releases a child blocked in `read` on its stdin. */
  go(): void;
}

export function spawnChild(argv: string[]): Child {
  const proc = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  proc.stdin!.on('error', () => undefined);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.on('exit', (code, signal) => resolve({ code, signal }));
  });
  assert.ok(proc.pid, `spawn ${argv[0]} failed`);
  return { proc, pid: proc.pid, stdout: () => out, stderr: () => err, exit, go: () => proc.stdin!.write('go\n') };
}

/** What the executor does: write the pid into every cgroup.procs file. */
export async function join(cg: CgroupManager, pid: number): Promise<void> {
  for (const f of cg.procsFiles()) await writeCgroupFile(f, String(pid));
}

export function cgroupDirs(cg: CgroupManager): string[] {
  return cg.procsFiles().map(dirname);
}

export function assertRemoved(dirs: string[]): void {
  for (const d of dirs) assert.equal(existsSync(d), false, `${d} still exists`);
}

/** utime + stime of a process, in clock ticks. */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

export async function until<T>(probe: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what} (last: ${JSON.stringify(v)})`);
    await sleep(20);
  }
}

/** Kills the children and removes the cgroups, whatever state the test left them in. */
export async function cleanup(cgs: CgroupManager[], children: Child[]): Promise<void> {
  for (const cg of cgs) await cg.thaw().catch(() => undefined);
  for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
  for (const cg of cgs) await cg.killAll().catch(() => undefined);
  await Promise.all(children.map((c) => Promise.race([c.exit, sleep(5000)])));
  for (const cg of cgs) {
    await cg.destroy();
    assertRemoved(cgroupDirs(cg));
  }
}
