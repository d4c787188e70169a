/** Exec: extra processes in a running container, with their own exit codes, stdio and terminals. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Readable } from 'node:stream';
import { InitError } from '../../../src/runtime/executor.js';
import { alive } from '../../../src/containerd/tasks/task.js';
import { Fixture } from './fixture.js';

const skip = process.getuid?.() !== 0 ? 'task integration tests need root' : false;

function collect(r: Readable | null): () => string {
  let s = '';
  r!.setEncoding('utf8').on('data', (d: string) => { s += d; });
  return () => s;
}

test('exec: attached output, own exit code, state, wait, delete', { skip }, async (t) => {
  const f = new Fixture();
  t.after(async () => { assert.deepEqual(await f.cleanup(), []); });
  const task = await f.create('e1', { args: ['sleep', '1000'] });
  const plan = f.execPlan(task, 'x1', ['sh', '-c', 'echo in-exec; echo oops >&2; cat /proc/1/cmdline; exit 9']);
  const ex = await task.exec('x1', plan, { terminal: false, stdin: false, attach: { stdin: false, stdout: true, stderr: true } });
  f.track('e1', ex.pid);
  const out = collect(ex.stream!.stdout), err = collect(ex.stream!.stderr);
  const st = await ex.wait();
  assert.equal(st.exitCode, 9);
  assert.equal((await ex.stream!.exit)?.exitCode, 9);
  assert.equal(out(), 'in-exec\nsleep\x001000\x00');
  assert.equal(err(), 'oops\n');
  const es = await ex.state();
  assert.deepEqual([es.id, es.pid, es.status, es.exit?.exitCode], ['x1', ex.pid, 'stopped', 9]);
  assert.deepEqual((await task.state()).execs.map((e) => [e.id, e.status]), [['x1', 'stopped']]);
  await assert.rejects(task.exec('x1', plan, { terminal: false, stdin: false }), /already exists/);
  await ex.delete();
  await assert.rejects(task.execState('x1'), (e: Error & { kind?: string }) => e.kind === 'not-found');
  assert.equal((await task.state()).status, 'running', 'the container is untouched');
});

test('exec: a running exec, kill, stdin, and a missing command as InitError 127', { skip }, async (t) => {
  const f = new Fixture();
  t.after(async () => { assert.deepEqual(await f.cleanup(), []); });
  const task = await f.create('e2', { args: ['sleep', '1000'] });
  const ex = await task.exec('x2', f.execPlan(task, 'x2', ['sh', '-c', 'read v; echo "v=$v"; sleep 1000']), {
    terminal: false, stdin: true, attach: { stdin: true, stdout: true, stderr: false },
  });
  f.track('e2', ex.pid);
  const out = collect(ex.stream!.stdout);
  assert.equal((await ex.state()).status, 'running');
  ex.stream!.stdin!.write('42\n');
  for (let i = 0; !out().includes('v=42') && i < 500; i++) await sleep(10);
  assert.equal(out(), 'v=42\n');
  await ex.kill('SIGTERM');
  const st = await ex.wait();
  assert.deepEqual([st.exitCode, st.signal], [143, 15]);
  await assert.rejects(task.exec('x3', f.execPlan(task, 'x3', ['nope']), { terminal: false, stdin: false }),
    (e: unknown) => e instanceof InitError && e.exitCode === 127);
  assert.deepEqual((await task.state()).execs.map((e) => e.id), ['x2']);
});

test('exec with a terminal, resized', { skip }, async (t) => {
  const f = new Fixture();
  t.after(async () => { assert.deepEqual(await f.cleanup(), []); });
  const task = await f.create('e3', { args: ['sleep', '1000'] });
  const ex = await task.exec('tty-exec', f.execPlan(task, 'tty-exec', ['sh'], true), {
    terminal: true, stdin: true, attach: { stdin: true, stdout: true, stderr: false },
  });
  f.track('e3', ex.pid);
  const out = collect(ex.stream!.stdout);
  await ex.resize(33, 99);
  ex.stream!.stdin!.write('tty; stty size; exit 4\n');
  assert.equal((await ex.wait()).exitCode, 4);
  await ex.stream!.exit;
  assert.match(out(), /\/dev\/pts\/\d+\r\n33 99\r\n/);
  assert.ok(!alive(ex.pid));
});
