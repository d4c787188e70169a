/**
 * Task lifecycle through skiff-shim: run with logs, wait and exit status (code vs signal),
 * kill, the create/start split, skiff-init errors surfacing as InitError, shutdown.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { InitError } from '../../../src/runtime/executor.js';
import { readExitFile, taskPaths } from '../../../src/containerd/tasks/index.js';
import { alive } from '../../../src/containerd/tasks/task.js';
import { Fixture } from './fixture.js';

const skip = process.getuid?.() !== 0 ? 'task integration tests need root' : false;

function fixture(t: { after: (fn: () => Promise<void>) => void }): Fixture {
  const f = new Fixture();
  t.after(async () => { assert.deepEqual(await f.cleanup(), []); });
  return f;
}

function logLines(path: string): { log: string; stream: string; time: string }[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { log: string; stream: string; time: string });
}

test('run: output lands in the json log, wait returns the exit code', { skip }, async (t) => {
  const f = fixture(t);
  const task = await f.create('run1', { args: ['sh', '-c', 'echo out1; echo err1 >&2; printf "no-newline"; exit 3'] });
  assert.ok(alive(task.shimPid));
  const st = await task.wait();
  assert.equal(st.exitCode, 3);
  assert.equal(st.signal, 0);
  assert.ok(Math.abs(st.exitedAt.getTime() - Date.now()) < 10_000);
  const lines = logLines(f.logPath('run1'));
  const out = lines.filter((l) => l.stream === 'stdout').map((l) => l.log);
  assert.deepEqual(out, ['out1\n', 'no-newline']);
  assert.deepEqual(lines.filter((l) => l.stream === 'stderr').map((l) => l.log), ['err1\n']);
  for (const l of lines) assert.match(l.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/);
  const state = await task.state();
  assert.equal(state.status, 'stopped');
  assert.equal(state.exit?.exitCode, 3);
  const recorded = await readExitFile(task.dir);
  assert.equal(recorded?.exitCode, 3);
  assert.equal(recorded?.pid, task.pid);
  // waiting again answers at once
  assert.equal((await task.wait()).exitCode, 3);
});

test('kill: a signal death is 128+signal with the signal reported', { skip }, async (t) => {
  const f = fixture(t);
  const task = await f.create('kill1', { args: ['sleep', '1000'] });
  assert.equal((await task.state()).status, 'running');
  const waiting = task.wait();
  await task.kill('SIGKILL');
  const st = await waiting;
  assert.deepEqual([st.exitCode, st.signal], [137, 9]);
  await assert.rejects(task.kill(15), (e: Error & { kind?: string }) => e.kind === 'conflict');
});

test('create/start: the process waits for start()', { skip }, async (t) => {
  const f = fixture(t);
  const task = await f.create('cs1', { args: ['echo', 'started'], startNow: false });
  assert.equal((await task.state()).status, 'created');
  assert.match(readFileSync(`/proc/${task.pid}/cmdline`, 'utf8'), /skiff-init/);
  assert.equal(readFileSync(f.logPath('cs1'), 'utf8'), '');
  await task.start();
  assert.equal((await task.wait()).exitCode, 0);
  assert.deepEqual(logLines(f.logPath('cs1')).map((l) => l.log), ['started\n']);
  assert.ok(!existsSync(`${task.dir}/exec.fifo`));
  await assert.rejects(task.start(), /cannot start a container that has stopped/);
});

test('a created task killed before start: 137, and start is a conflict', { skip }, async (t) => {
  const f = fixture(t);
  const task = await f.create('cs2', { args: ['sleep', '1000'], startNow: false });
  await task.kill('SIGKILL');
  assert.deepEqual([(await task.wait()).exitCode, (await task.state()).status], [137, 'stopped']);
  await assert.rejects(task.start(), (e: Error & { kind?: string }) => e.kind === 'conflict');
});

test('skiff-init errors keep step and errno: 127 for a missing command, 126 for a directory', { skip }, async (t) => {
  const f = fixture(t);
  await assert.rejects(f.create('err1', { args: ['no-such-command'] }), (e: unknown) => {
    assert.ok(e instanceof InitError, String(e));
    assert.equal(e.step, 'exec');
    assert.equal(e.exitCode, 127);
    assert.match(e.message, /executable file not found/);
    return true;
  });
  await assert.rejects(f.create('err2', { args: ['/bin'] }), (e: unknown) => e instanceof InitError && e.exitCode === 126);
  // the failed shim is gone, and so are its socket and pid file
  assert.ok(!existsSync(taskPaths(`${f.state}/err1`).socket));
  assert.ok(!existsSync(taskPaths(`${f.state}/err1`).pidFile));
});

test('shutdown: refused while running; afterwards no process, socket or directory', { skip }, async (t) => {
  const f = fixture(t);
  const task = await f.create('sd1', { args: ['sleep', '1000'], log: false });
  await assert.rejects(task.shutdown(), (e: Error & { kind?: string }) => e.kind === 'conflict');
  assert.ok(!existsSync(f.logPath('sd1')), '--log none writes no file');
  await task.kill(9);
  await task.wait();
  await task.shutdown();
  assert.ok(!alive(task.shimPid));
  assert.ok(!alive(task.pid));
  assert.ok(!existsSync(task.dir));
  assert.equal(await f.service.load('sd1', task.dir), undefined);
});
