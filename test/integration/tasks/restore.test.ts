/**
 * Live restore: the process that started a shim dies with kill -9; the container keeps running,
 * a new client finds the shim with list() and load(), and attach, wait and an exit that happened
 * while nobody was connected all still work.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { once } from 'node:events';
import { readExitFile } from '../../../src/containerd/tasks/index.js';
import { alive } from '../../../src/containerd/tasks/task.js';
import type { CreateTaskOptions } from '../../../src/containerd/tasks/index.js';
import { Fixture } from './fixture.js';

const skip = process.getuid?.() !== 0 ? 'task integration tests need root' : false;
const CHILD = fileURLToPath(new URL('./spawn-task.js', import.meta.url));

/** Starts the task from a child node process, then kills that process with SIGKILL. */
async function createThenKillClient(f: Fixture, opts: CreateTaskOptions): Promise<{ pid: number; shimPid: number }> {
  const child = spawn(process.execPath, [CHILD, JSON.stringify(opts)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
  for (let i = 0; !out.includes('\n'); i++) {
    if (i > 1000 || child.exitCode !== null) throw new Error(`child failed: ${out}`);
    await sleep(10);
  }
  const pids = JSON.parse(out) as { pid: number; shimPid: number };
  f.track(opts.id, pids.pid, pids.shimPid);
  child.kill('SIGKILL');
  await once(child, 'close');
  return pids;
}

test('kill -9 of the client leaves the container running; load re-attaches', { skip }, async (t) => {
  const f = new Fixture();
  t.after(async () => { assert.deepEqual(await f.cleanup(), []); });
  const opts = await f.prepare('r1', { args: ['sh', '-c', 'i=0; while read line; do echo "got $line"; done; echo bye; exit 7'], stdin: true });
  const { pid, shimPid } = await createThenKillClient(f, opts);
  assert.ok(alive(pid), 'container survived its client');
  assert.ok(alive(shimPid), 'shim survived its client');

  const listed = await f.service.list(f.state);
  assert.deepEqual(listed, [{ id: 'r1', dir: opts.dir }]);
  const task = await f.service.load('r1', opts.dir);
  assert.ok(task);
  assert.equal(task.pid, pid);
  assert.equal(task.shimPid, shimPid);
  assert.equal((await task.state()).status, 'running');

  const a = await task.attach({ stdin: true, stdout: true, stderr: false });
  let seen = '';
  a.stdout!.setEncoding('utf8').on('data', (d: string) => { seen += d; });
  a.stdin!.write('ping\n');
  for (let i = 0; !seen.includes('got ping') && i < 500; i++) await sleep(10);
  assert.match(seen, /got ping/);
  const waiting = task.wait();
  a.closeStdin();
  const st = await waiting;
  assert.equal(st.exitCode, 7);
  assert.equal((await a.exit)?.exitCode, 7);
  assert.match(seen, /bye/);
  const log = readFileSync(f.logPath('r1'), 'utf8');
  assert.match(log, /"log":"got ping\\n","stream":"stdout"/);
});

test('an exit while no client is connected is reported to the next one', { skip }, async (t) => {
  const f = new Fixture();
  t.after(async () => { assert.deepEqual(await f.cleanup(), []); });
  const opts = await f.prepare('r2', { args: ['sh', '-c', 'sleep 0.5; exit 42'] });
  const { pid } = await createThenKillClient(f, opts);
  // The shim records the exit when it reaps the process, with nobody connected.
  for (let i = 0; !(await readExitFile(opts.dir)) && i < 1000; i++) await sleep(10);
  assert.ok(!alive(pid), 'container exited and was reaped by its shim');
  assert.equal((await readExitFile(opts.dir))?.exitCode, 42);
  const task = await f.service.load('r2', opts.dir);
  assert.ok(task);
  const state = await task.state();
  assert.equal(state.status, 'stopped');
  assert.equal(state.exit?.exitCode, 42);
  assert.equal((await task.wait()).exitCode, 42);
  // attaching to a stopped process yields its exit at once
  const a = await task.attach({ stdin: false, stdout: true, stderr: true });
  assert.equal((await a.exit)?.exitCode, 42);
});
