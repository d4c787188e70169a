/**
 * The CLI's warm pool (src/cli/warm, native/launch): bin/skiff hands a command to an idle CLI
 * process when one is ready, and the command must behave exactly as a cold start would — its
 * output, exit code, stdin, working directory, umask, environment, terminal and signals — while
 * the pool refills, refuses a directory others could enter, retires processes whose bundle changed
 * and never outlives a launcher that was killed. Each test runs against its own private pool.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { privatePool, type PrivatePool } from '../../helpers/cli-pool.js';
import { startDaemon, type TestDaemon } from '../../helpers/daemon.js';
import { importBusybox, SKIFF } from './harness.js';

const DOWN = 'unix:///nonexistent/skiff-warm-test.sock';
const CANNOT = `Cannot connect to the Docker daemon at ${DOWN}. Is the docker daemon running?\n`;
const VERSION = ['version', '--format', '{{.Client.Version}}'];
const BUNDLE = resolve('dist/cli/skiff-main.cjs');

let d: TestDaemon;
let work: string;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'skiff-warm-'));
  d = await startDaemon();
  await importBusybox(d.host);
});

after(async () => {
  rmSync(work, { recursive: true, force: true });
  await d?.stop();
});

interface Result { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

function run(pool: PrivatePool, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string; shell?: string } = {}): Result {
  const env = { ...process.env, DOCKER_HOST: DOWN, SKIFF_EXTRA_CA_CERTS: '', ...pool.env, ...opts.env };
  const [cmd, argv] = opts.shell ? ['sh', ['-c', opts.shell, 'sh', SKIFF, ...args]] : [SKIFF, args];
  const r = spawnSync(cmd, argv, { env, cwd: opts.cwd, input: opts.input ?? '', encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL' });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

const idle = (pool: PrivatePool): number[] => pool.idle();

/** A process's supplementary groups ('' for none). */
function groupsOf(pid: number): string {
  return (/^Groups:(.*)$/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1] ?? '').trim();
}

/** Whether a process has ended (a zombie not yet reaped by whoever inherited it has). */
function gone(pid: number): boolean {
  try {
    return /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'latin1'));
  } catch {
    return true;
  }
}

async function waitIdle(pool: PrivatePool, not: number[] = []): Promise<number> {
  for (let i = 0; i < 300; i++) {
    const fresh = idle(pool).filter((p) => !not.includes(p));
    if (fresh.length) return fresh[0]!;
    await sleep(50);
  }
  throw new Error('no idle CLI process appeared in the pool within 15 s');
}

/** Runs one command through the idle process `pid` and checks that it was the one to serve it. */
function warmRun(pool: PrivatePool, pid: number, args: string[], opts: Parameters<typeof run>[2] = {}): Result {
  const r = run(pool, args, opts);
  assert.ok(!idle(pool).includes(pid), `idle process ${pid} was not used`);
  return r;
}

async function withPool(fn: (pool: PrivatePool) => Promise<void>): Promise<void> {
  const pool = privatePool();
  try {
    await fn(pool);
  } finally {
    await pool.stop();
    assert.deepEqual(pool.processes(), []);
  }
}

test('a cold start fills the pool; the idle process answers as the cold start did, and the pool refills', () => withPool(async (pool) => {
  const cold = run(pool, VERSION);
  assert.deepEqual(cold, { status: 1, signal: null, stdout: '0.1.0\n', stderr: CANNOT });
  const first = await waitIdle(pool);
  assert.deepEqual(warmRun(pool, first, VERSION), cold);
  const second = await waitIdle(pool, [first]);
  const bad = warmRun(pool, second, ['--nope']);
  assert.equal(bad.status, 125);
  assert.match(bad.stderr, /^unknown flag: --nope\n/);
  assert.equal(bad.stdout, '');
  await waitIdle(pool, [first, second]);
  assert.equal(pool.processes().length, 1, 'a pool of one holds one process');
}));

test('the command takes the caller\'s directory, umask, environment and stdio (append redirects too)', () => withPool(async (pool) => {
  const cwd = mkdtempSync(join(work, 'cwd-'));
  run(pool, VERSION);
  let pid = await waitIdle(pool);
  // DOCKER_CONFIG relative to the directory, a context created and exported there under umask 277.
  const env = { DOCKER_CONFIG: 'cfg' };
  assert.equal(warmRun(pool, pid, ['context', 'create', 'here', '--docker', 'host=unix:///here.sock'], { cwd, env }).status, 0);
  pid = await waitIdle(pool, [pid]);
  const exp = warmRun(pool, pid, ['context', 'export', 'here', 'here.tar'], { cwd, env, shell: 'umask 277; exec "$@"' });
  assert.equal(exp.status, 0, exp.stderr);
  assert.ok(existsSync(join(cwd, 'cfg', 'contexts', 'meta')));
  assert.equal(statSync(join(cwd, 'here.tar')).mode & 0o777, 0o400, 'created 0600 under umask 277');
  pid = await waitIdle(pool, [pid]);
  writeFileSync(join(cwd, 'out'), 'first\n');
  const ap = warmRun(pool, pid, VERSION, { cwd, shell: 'exec "$@" >> out 2>/dev/null' });
  assert.equal(ap.status, 1);
  assert.equal(readFileSync(join(cwd, 'out'), 'utf8'), 'first\n0.1.0\n');
  // stdin through to a container, the container's exit code back, the environment's DOCKER_HOST.
  pid = await waitIdle(pool, [pid]);
  const cat = warmRun(pool, pid, ['run', '--rm', '-i', '-e', 'WARM', 'busybox', 'sh', '-c', 'cat; echo "$WARM"; exit 3'],
    { input: 'from stdin\n', env: { DOCKER_HOST: d.host, WARM: 'from env' } });
  assert.deepEqual(cat, { status: 3, signal: null, stdout: 'from stdin\nfrom env\n', stderr: '' });
}));

test('signals reach the command: SIGTERM through run\'s sig-proxy to the container', () => withPool(async (pool) => {
  run(pool, VERSION);
  const pid = await waitIdle(pool);
  const env = { ...process.env, ...pool.env, DOCKER_HOST: d.host };
  const child = spawn(SKIFF, ['run', '--rm', 'busybox', 'sh', '-c', 'trap "echo got TERM; exit 7" TERM; echo ready; sleep 30 & wait'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
  for (let i = 0; i < 200 && !out.includes('ready'); i++) await sleep(50);
  assert.ok(!idle(pool).includes(pid), 'the idle process serves the run');
  child.kill('SIGTERM');
  const [code] = await Promise.race([
    new Promise<[number | null]>((res) => child.on('exit', (c) => res([c]))),
    sleep(20_000).then(() => { child.kill('SIGKILL'); return [-1] as [number]; }),
  ]);
  assert.equal(code, 7);
  assert.equal(out, 'ready\ngot TERM\n');
}));

test('a killed launcher takes its command with it (SIGHUP); a terminal is the command\'s terminal; ssh:// starts cold', () => withPool(async (pool) => {
  run(pool, VERSION);
  const pid = await waitIdle(pool);
  const child = spawn(SKIFF, ['events'], { env: { ...process.env, ...pool.env, DOCKER_HOST: d.host }, stdio: 'ignore' });
  for (let i = 0; i < 100 && idle(pool).includes(pid); i++) await sleep(50);
  assert.ok(!idle(pool).includes(pid), 'the idle process serves `events`');
  await sleep(200);
  assert.ok(!gone(pid));
  child.kill('SIGKILL');
  for (let i = 0; i < 100 && !gone(pid); i++) await sleep(50);
  assert.ok(gone(pid), 'the command ended with its launcher');
  if (spawnSync('script', ['--version']).error) return;
  const next = await waitIdle(pool, [pid]);
  // script(1) gives the launcher a pseudo-terminal: the container's tty is a terminal too.
  // With -i too the terminal is raw as docker makes it: output processing off, so the container's
  // "\r\n" arrives as is (Node's raw mode alone gave "\r\r\n").
  // The container's pty has the terminal's size from the start (HostConfig.ConsoleSize).
  const cmd = `stty rows 33 cols 111; exec ${SKIFF} run --rm -it busybox sh -c 'tty >/dev/null && echo is-a-tty; stty size; exit 4'`;
  const r = run(pool, [], { env: { DOCKER_HOST: d.host }, shell: `shift; exec script -qec "${cmd}" /dev/null` });
  assert.ok(!idle(pool).includes(next));
  assert.equal(r.status, 4);
  assert.match(r.stdout, /is-a-tty\r\n33 111\r\n/);
  assert.doesNotMatch(r.stdout, /\r\r\n/);
  // An ssh:// daemon starts cold: ssh prompts on /dev/tty, the controlling terminal, which only a
  // process started from the terminal has. The `ssh` found first on PATH reports whether it has one.
  const bin = mkdtempSync(join(work, 'bin-'));
  const log = join(bin, 'ctty.log');
  writeFileSync(join(bin, 'ssh'), `#!/bin/sh\nif (exec </dev/tty) 2>/dev/null; then echo has-ctty >> ${log}; else echo no-ctty >> ${log}; fi\nexit 255\n`);
  chmodSync(join(bin, 'ssh'), 0o755);
  const third = await waitIdle(pool, [pid, next]);
  const viaSsh = run(pool, [], {
    env: { DOCKER_HOST: 'ssh://nobody@127.0.0.1', PATH: `${bin}:${process.env['PATH']}` },
    shell: `shift; exec script -qec "${SKIFF} version --format '{{.Server.Os}}'" /dev/null`,
  });
  assert.ok(!idle(pool).includes(third), 'the idle process saw the command (and declined it)');
  assert.equal(viaSsh.status, 1);
  // (ssh runs twice, as for docker: the failed version ping, then the request.)
  assert.match(readFileSync(log, 'utf8'), /^(has-ctty\n)+$/);
}));

test('a process whose bundle changed answers stale and the command starts cold; an open pool directory is not used', () => withPool(async (pool) => {
  run(pool, VERSION);
  const old = await waitIdle(pool);
  const st = statSync(BUNDLE);
  utimesSync(BUNDLE, st.atime, new Date(st.mtimeMs + 5000));
  try {
    assert.deepEqual(run(pool, VERSION), { status: 1, signal: null, stdout: '0.1.0\n', stderr: CANNOT });
  } finally {
    utimesSync(BUNDLE, st.atime, st.mtime);
  }
  for (let i = 0; i < 100 && !gone(old); i++) await sleep(50);
  assert.ok(gone(old), 'the stale process exited');
  // The refill may have loaded before or after the restore (stale or current): either way the
  // next command succeeds and leaves a current process idle.
  const refill = await waitIdle(pool, [old]);
  run(pool, VERSION);
  const current = await waitIdle(pool, [old, refill]);
  // Others may enter the pool directory: skiff-launch and the CLI both leave it alone.
  chmodSync(join(pool.dir, 'skiff-cli'), 0o755);
  assert.deepEqual(run(pool, VERSION), { status: 1, signal: null, stdout: '0.1.0\n', stderr: CANNOT });
  assert.deepEqual(idle(pool), [current], 'the idle process was not used and no other was started');
}));

test('a caller with other supplementary groups or in another network namespace starts cold (the pool process has its own)', { skip: spawnSync('setpriv', ['--version']).error ? 'setpriv is not installed' : false }, () => withPool(async (pool) => {
  run(pool, VERSION);
  const pid = await waitIdle(pool);
  const env = { ...process.env, ...pool.env, DOCKER_HOST: d.host };
  /** What the launcher's process runs a moment after `events` started: itself (served warm) or node (cold). */
  const runsAs = async (cmd: string, args: string[]): Promise<string> => {
    const child = spawn(cmd, args, { env, stdio: 'ignore' });
    try {
      await sleep(1500);
      return readFileSync(`/proc/${child.pid}/cmdline`, 'latin1').split('\0').join(' ');
    } finally {
      child.kill('SIGTERM');
      await new Promise((ok) => child.once('exit', ok));
    }
  };
  assert.match(await runsAs(SKIFF, ['events']), /^\S+\/skiff-launch /, 'the launcher waits on the pool process');
  assert.ok(!idle(pool).includes(pid));
  /** A cold start of ours, so that the next idle process is one we started. */
  const fresh = async (not: number[]): Promise<number> => {
    run(pool, VERSION);
    for (let i = 0; i < 100; i++) {
      const cur = idle(pool).filter((p) => !not.includes(p));
      if (cur.length && !cur.some((p) => readlinkSync(`/proc/${p}/ns/net`) !== readlinkSync('/proc/self/ns/net'))) return cur[0]!;
      await sleep(50);
    }
    throw new Error('no idle process of ours appeared');
  };
  const seen = [pid];
  const next = await fresh(seen);
  seen.push(next);
  assert.match(await runsAs('setpriv', ['--groups', '4242', SKIFF, 'events']), /^node \S+skiff\.cjs events/, 'other groups: a cold start');
  for (let i = 0; i < 100 && !gone(next); i++) await sleep(50);
  assert.ok(gone(next), 'the idle process declined and left');
  if (spawnSync('unshare', ['--version']).error) return;
  // In a network namespace of its own (where 127.0.0.1 is another machine's loopback).
  for (const p of idle(pool)) seen.push(p);
  const third = await fresh(seen);
  assert.equal(groupsOf(third), '', 'started by our own cold start, with our groups');
  assert.match(await runsAs('unshare', ['--net', SKIFF, 'events']), /^node \S+skiff\.cjs events/, 'another network namespace: a cold start');
  for (let i = 0; i < 100 && !gone(third); i++) await sleep(50);
  assert.ok(gone(third), 'the idle process declined and left');
}));
