/** The OCI lifecycle through skiff-runc: states, transitions, signals, exit codes, cleanup. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeBundle, mountsUnder, cgroupDirs } from '../../helpers/runc.js';

function state(b: ReturnType<typeof makeBundle>, id: string): { status: string; pid: number; id: string; bundle: string } {
  const r = b.runc(['state', id]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('create, start, state, pause, resume, ps, list, kill, delete', async (t) => {
  const b = makeBundle((s) => { s.process!.args = ['sleep', '1000']; });
  t.after(() => b.cleanup());
  const pidFile = join(b.dir, 'pid');
  let r = b.runc(['create', '--pid-file', pidFile, 'lc']);
  assert.equal(r.status, 0, r.stderr);
  let st = state(b, 'lc');
  assert.equal(st.status, 'created');
  assert.equal(Number(readFileSync(pidFile, 'utf8')), st.pid);
  assert.equal(st.bundle, b.dir);
  assert.match(readFileSync(`/proc/${st.pid}/cmdline`, 'utf8'), /skiff-init/, 'not exec\'d before start');

  r = b.runc(['create', 'lc']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /container with id exists: lc/);

  r = b.runc(['start', 'lc']);
  assert.equal(r.status, 0, r.stderr);
  st = state(b, 'lc');
  assert.equal(st.status, 'running');
  assert.equal(readFileSync(`/proc/${st.pid}/cmdline`, 'utf8'), 'sleep\x001000\x00');
  r = b.runc(['start', 'lc']);
  assert.match(r.stderr, /cannot start an already running container/);

  assert.equal(b.runc(['pause', 'lc']).status, 0);
  assert.equal(state(b, 'lc').status, 'paused');
  assert.match(readFileSync(`/proc/${st.pid}/status`, 'utf8'), /State:\s+[SD]/);
  assert.match(b.runc(['delete', 'lc']).stderr, /cannot delete container lc that is not stopped: paused/);
  assert.equal(b.runc(['resume', 'lc']).status, 0);
  assert.equal(state(b, 'lc').status, 'running');

  r = b.runc(['ps', '--format', 'json', 'lc']);
  assert.deepEqual(JSON.parse(r.stdout), [st.pid]);
  r = b.runc(['ps', 'lc']);
  assert.match(r.stdout, /PID/);
  assert.match(r.stdout, /sleep 1000/);

  r = b.runc(['list']);
  assert.match(r.stdout, /^ID\s+PID\s+STATUS\s+BUNDLE\s+CREATED\s+OWNER/);
  assert.match(r.stdout, new RegExp(`lc\\s+${st.pid}\\s+running\\s+${b.dir}`));
  assert.deepEqual(JSON.parse(b.runc(['list', '--format', 'json']).stdout).map((c: { id: string }) => c.id), ['lc']);

  assert.equal(b.runc(['kill', 'lc', 'KILL']).status, 0);
  await waitFor(() => !alive(st.pid));
  assert.equal(state(b, 'lc').status, 'stopped');
  assert.match(b.runc(['kill', 'lc']).stderr, /container not running/);
  assert.equal(b.runc(['delete', 'lc']).status, 0);
  assert.match(b.runc(['state', 'lc']).stderr, /No such container: lc|does not exist/);
  assert.equal(existsSync(join(b.root, 'lc')), false);
  assert.deepEqual(cgroupDirs(b.cgroupParent).filter((d) => existsSync(join(d, 'c'))), []);
  assert.equal(mountsUnder(b.dir).length, 0);
});

test('exit codes and signals propagate through run', (t) => {
  const b = makeBundle((s) => { s.process!.args = ['sh', '-c', 'exit 42']; });
  t.after(() => b.cleanup());
  assert.equal(b.runc(['run', 'ex']).status, 42);
  b.spec.process!.args = ['nonexistent-cmd'];
  b.write();
  const r = b.runc(['run', 'ex3']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /exec: "nonexistent-cmd": executable file not found in \$PATH/);
  assert.equal(existsSync(join(b.root, 'ex3')), false, 'failed create leaves no state');
});

test('a signal sent to a foreground run reaches the container', async (t) => {
  const b = makeBundle((s) => { s.process!.args = ['sh', '-c', 'trap "echo got-term; exit 7" TERM; echo ready; while true; do sleep 0.1; done']; });
  t.after(() => b.cleanup());
  const child = b.runcAsync(['run', 'sig']);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  await waitFor(() => out.includes('ready'), 10_000);
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((r) => child.on('close', r));
  assert.equal(code, 7);
  assert.match(out, /got-term/);

  // Killed by a signal: 128 + signal, as runc reports it.
  b.spec.process!.args = ['sh', '-c', 'echo ready; exec sleep 1000'];
  b.write();
  out = '';
  const child2 = b.runcAsync(['run', 'sig2']);
  child2.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  await waitFor(() => out.includes('ready'), 10_000);
  const killed = b.runc(['kill', 'sig2', 'KILL']);
  assert.equal(killed.status, 0, killed.stderr);
  assert.equal(await new Promise<number | null>((r) => child2.on('close', r)), 137);
  assert.equal(existsSync(join(b.root, 'sig2')), false, 'a foreground run removes its container');
});

test('exec runs a process inside the running container', async (t) => {
  const b = makeBundle((s) => { s.process!.args = ['sh', '-c', 'echo inside > /tmp/marker; hostname exec-host; sleep 1000']; s.hostname = 'exec-host'; });
  t.after(() => b.cleanup());
  assert.equal(b.runc(['run', '-d', 'x']).status, 0);
  const init = state(b, 'x').pid;
  await waitFor(() => b.runc(['exec', 'x', 'cat', '/tmp/marker']).stdout === 'inside\n');
  let r = b.runc(['exec', 'x', 'sh', '-c', 'echo $$; hostname; cat /proc/1/cmdline | tr "\\0" " "; exit 5']);
  assert.equal(r.status, 5, r.stderr);
  const [pid, host, cmd] = r.stdout.split('\n');
  assert.notEqual(pid, '1');
  assert.equal(host, 'exec-host');
  assert.match(cmd!, /^sleep 1000/);
  r = b.runc(['exec', '--user', '1000:1000', '--env', 'FOO=bar', '--cwd', '/tmp', 'x', 'sh', '-c', 'id -u; echo $FOO; pwd']);
  assert.equal(r.stdout, '1000\nbar\n/tmp\n', r.stderr);
  r = b.runc(['exec', 'x', 'no-such-binary']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /executable file not found/);
  const pids = JSON.parse(b.runc(['ps', '--format', 'json', 'x']).stdout) as number[];
  assert.deepEqual(pids, [init], 'exec processes are gone');
  assert.match(b.runc(['delete', 'x']).stderr, /not stopped: running/);
  assert.equal(b.runc(['delete', '--force', 'x']).status, 0);
  assert.equal(alive(init), false);
});

test('killing the caller of a foreground run leaves a container with state', async (t) => {
  const b = makeBundle((s) => { s.process!.args = ['sh', '-c', 'echo up; sleep 1000']; });
  t.after(() => b.cleanup());
  const child = b.runcAsync(['run', 'orphan']);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  await waitFor(() => out.includes('up'), 10_000);
  child.kill('SIGKILL');
  // 'exit', not 'close': the container still holds the stdout pipe it inherited.
  await new Promise((r) => child.on('exit', r));
  child.stdout!.destroy();
  child.stderr!.destroy();
  const st = state(b, 'orphan');
  assert.equal(st.status, 'running');
  assert.equal(alive(st.pid), true);
  assert.equal(b.runc(['delete', '--force', 'orphan']).status, 0);
  assert.equal(alive(st.pid), false);
  assert.equal(existsSync(join(b.root, 'orphan')), false);
  assert.deepEqual(cgroupDirs(b.cgroupParent).filter((d) => existsSync(join(d, 'c'))), []);
});
