/**
 * The stock docker CLI against skiffd: the container lifecycle as a docker user drives it.
 * Skipped (with the reason printed) only where /usr/local/bin/docker is absent.
 */
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { compatFixture, DOCKER, type Docker, waitUntil } from './docker-helpers.js';

const fx = compatFixture('docker CLI compatibility tests');
const { skip } = fx;
/** The fixture's docker CLI, bound once its daemon is up. */
const docker: Docker = (args, opts) => fx.docker(args, opts);

/** Each test starts from no containers, whatever an earlier failure left. */
function clean(): void {
  const ids = docker(['ps', '-aq']).stdout.split('\n').filter(Boolean);
  if (ids.length) docker(['rm', '-f', ...ids]);
}

beforeEach(() => { if (!skip) clean(); });

test('run attached: output, exit codes 0/3/125/126/127', { skip }, () => {
  let r = docker(['run', '--rm', 'busybox', 'echo', 'hello world']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'hello world\n');
  r = docker(['run', '--rm', 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
  assert.equal(r.status, 3);
  assert.equal(r.stdout, 'out\n');
  assert.equal(r.stderr, 'err\n');
  r = docker(['run', '--rm', 'busybox', 'no-such-cmd']);
  assert.equal(r.status, 127, r.stderr);
  assert.match(r.stderr, /executable file not found in \$PATH/);
  r = docker(['run', '--rm', 'busybox', '/etc']);
  assert.equal(r.status, 126, r.stderr);
  r = docker(['run', '--rm', 'no-such-image:1']);
  assert.equal(r.status, 125);
  r = docker(['run', '--bogus-flag', 'busybox']);
  assert.equal(r.status, 125);
  assert.match(r.stderr, /unknown flag: --bogus-flag/);
  assert.equal(docker(['ps', '-aq']).stdout, '', '--rm removed every container');
});

test('start -a of an exited container: it runs again with its output attached and its exit code', { skip }, () => {
  let r = docker(['run', '--name', 'again', '--network', 'none', 'busybox', 'sh', '-c', 'echo round; exit 3']);
  assert.equal(r.status, 3, r.stderr);
  r = docker(['start', '-a', 'again']);
  assert.equal(r.status, 3, r.stderr);
  assert.equal(r.stdout, 'round\n');
  assert.equal(docker(['rm', 'again']).status, 0);
});

test('run -t in a terminal: the container\'s pty has the terminal\'s size from the start (ConsoleSize)', { skip }, () => {
  if (spawnSync('script', ['--version']).error) return;
  // script(1) gives docker a pseudo-terminal; stty sizes it before docker starts.
  const r = spawnSync('script', ['-qec', `stty rows 33 cols 111; exec ${DOCKER} run --rm -t --network none busybox stty size`, '/dev/null'], {
    encoding: 'utf8', input: '', timeout: 30_000, killSignal: 'SIGKILL',
    env: { PATH: process.env.PATH, HOME: fx.cfg, DOCKER_CONFIG: fx.cfg, DOCKER_HOST: fx.d.host },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^33 111\r?\r\n/);
  const c = docker(['create', '--network', 'none', 'busybox', 'true']);
  assert.equal(docker(['inspect', '-f', '{{.HostConfig.ConsoleSize}}', c.stdout.trim()]).stdout, '[0 0]\n');
});

test('run -d, ps with filters and --format, logs, exec, inspect, top, stats', { skip }, async () => {
  let r = docker(['run', '-d', '--name', 'web', '--label', 'tier=front', '-e', 'GREETING=hi', 'busybox', 'sh', '-c', 'for i in 1 2 3; do echo line $i; done; echo oops >&2; exec sleep 1000']);
  assert.equal(r.status, 0, r.stderr);
  const id = r.stdout.trim();
  assert.match(id, /^[0-9a-f]{64}$/);
  docker(['run', '-d', '--name', 'other', 'busybox', 'sleep', '1000']);
  r = docker(['ps', '--format', '{{.Names}}|{{.Image}}|{{.Status}}', '--filter', 'label=tier=front']);
  assert.match(r.stdout, /^web\|busybox\|Up (Less than a second|\d+ seconds?)\n$/);
  assert.equal(docker(['ps', '-q', '--filter', 'name=other']).stdout.trim().length, 12);
  r = docker(['ps']);
  assert.match(r.stdout, /^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES\n/);
  await waitUntil(() => docker(['logs', 'web']).stdout.includes('line 3'), 10_000, 'logs');
  r = docker(['logs', 'web']);
  assert.equal(r.stdout, 'line 1\nline 2\nline 3\n');
  assert.equal(r.stderr, 'oops\n');
  // --tail counts entries of both streams, as Docker's json-file reader does.
  r = docker(['logs', '--tail', '1', 'web']);
  assert.equal(r.stdout + '|' + r.stderr, '|oops\n');
  assert.equal(docker(['logs', '--tail', '2', 'web']).stdout, 'line 3\n');
  assert.match(docker(['logs', '-t', 'web']).stdout, /^\d{4}-\d\d-\d\dT[\d:.]+Z line 1$/m);
  r = docker(['exec', 'web', 'sh', '-c', 'echo $GREETING $((40+2)); exit 4']);
  assert.equal(r.status, 4);
  assert.equal(r.stdout, 'hi 42\n');
  r = docker(['inspect', '-f', '{{.State.Status}} {{.State.Running}} {{.Config.Image}} {{.Name}} {{index .Config.Labels "tier"}}', 'web']);
  assert.equal(r.stdout, 'running true busybox /web front\n');
  assert.equal(docker(['inspect', '-f', '{{.Id}}', 'web']).stdout.trim(), id);
  r = docker(['top', 'web']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /sleep 1000/);
  r = docker(['stats', '--no-stream', '--format', '{{.Name}} {{.PIDs}}', 'web']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^web 1$/m);
  docker(['rm', '-f', 'web', 'other']);
});

test('logs -f follows until the container exits', { skip }, () => {
  const id = docker(['run', '-d', 'busybox', 'sh', '-c', 'echo first; sleep 1; echo second >&2; sleep 1; echo third']).stdout.trim();
  const t0 = Date.now();
  const r = docker(['logs', '-f', id], { timeoutMs: 15_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'first\nthird\n');
  assert.equal(r.stderr, 'second\n');
  assert.ok(Date.now() - t0 >= 1500, 'it waited for the lines written later');
  docker(['rm', '-f', id]);
});

test('stop, start, restart, kill, pause, wait, rename, prune', { skip }, async () => {
  let r = docker(['run', '-d', '--name', 'life', 'busybox', 'sleep', '1000']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(docker(['stop', '-t', '1', 'life']).status, 0);
  assert.equal(docker(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'life']).stdout, 'exited 137\n');
  assert.equal(docker(['start', 'life']).status, 0);
  assert.equal(docker(['inspect', '-f', '{{.State.Status}}', 'life']).stdout, 'running\n');
  assert.equal(docker(['pause', 'life']).status, 0);
  assert.match(docker(['ps', '--format', '{{.Status}}', '--filter', 'name=life']).stdout, /\(Paused\)/);
  r = docker(['pause', 'life']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /is already paused/);
  assert.equal(docker(['unpause', 'life']).status, 0);
  assert.equal(docker(['restart', '-t', '1', 'life']).status, 0);
  assert.equal(docker(['inspect', '-f', '{{.State.Status}}', 'life']).stdout, 'running\n');
  assert.equal(docker(['kill', 'life']).status, 0);
  r = docker(['wait', 'life']);
  assert.equal(r.stdout, '137\n');
  r = docker(['kill', 'life']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /is not running/);
  assert.equal(docker(['rename', 'life', 'renamed']).status, 0);
  assert.equal(docker(['inspect', '-f', '{{.Name}}', 'renamed']).stdout, '/renamed\n');
  docker(['create', '--name', 'fresh', 'busybox', 'true']);
  r = docker(['run', '--name', 'fresh', 'busybox', 'true']);
  assert.equal(r.status, 125);
  assert.match(r.stderr, /Conflict\. The container name "\/fresh" is already in use/);
  r = docker(['container', 'prune', '-f']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Total reclaimed space/);
  assert.equal(docker(['ps', '-aq']).stdout, '');
  r = docker(['rm', 'nope']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /No such container: nope/);
});

test('restart policy on-failure retries, then gives up', { skip }, async () => {
  const r = docker(['run', '-d', '--name', 'flaky', '--restart', 'on-failure:2', 'busybox', 'sh', '-c', 'exit 1']);
  assert.equal(r.status, 0, r.stderr);
  await waitUntil(() => docker(['inspect', '-f', '{{.RestartCount}} {{.State.Status}}', 'flaky']).stdout === '2 exited\n', 20_000, 'two restarts');
  docker(['rm', '-f', 'flaky']);
});

test('run -it through a pty', { skip }, () => {
  const r = spawnScript(fx.d.host, fx.cfg, "docker run -it --rm busybox sh -c 'tty; stty size'");
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /\/dev\/pts\/\d+/);
});

test('events report the lifecycle', { skip }, () => {
  const since = Math.floor(Date.now() / 1000) - 1;
  docker(['run', '--rm', '--name', 'evt', 'busybox', 'true']);
  const r = docker(['events', '--since', String(since), '--until', String(Math.floor(Date.now() / 1000) + 1), '--filter', 'container=evt', '--format', '{{.Action}}']);
  assert.equal(r.status, 0, r.stderr);
  for (const a of ['create', 'start', 'die', 'destroy']) assert.match(r.stdout, new RegExp(`^${a}$`, 'm'));
});

test('bad input gets 4xx with Docker wording and changes nothing', { skip }, async () => {
  let r = await fx.d.request('POST', '/containers/create', { body: '{"Image": "busybox", ', headers: { 'Content-Type': 'application/json' } });
  assert.equal(r.status, 400);
  r = await fx.d.request('POST', '/containers/create', { body: { Image: 'busybox', HostConfig: { Memory: 1024 } } });
  assert.equal(r.status, 400);
  assert.match(r.json().message, /Minimum memory limit allowed is 6MB/);
  r = await fx.d.request('POST', '/containers/create?name=bad/name', { body: { Image: 'busybox' } });
  assert.equal(r.status, 400);
  r = await fx.d.request('POST', '/containers/create', { body: { Image: 'busybox', HostConfig: { RestartPolicy: { Name: 'sometimes' } } } });
  assert.equal(r.status, 400);
  r = await fx.d.request('GET', '/containers/nope/json');
  assert.equal(r.status, 404);
  assert.equal(r.json().message, 'No such container: nope');
  assert.equal(docker(['ps', '-aq']).stdout, '');
});

test('kill -9 of skiffd: containers survive, a new daemon re-attaches and sees exits', { skip, timeout: 120_000 }, async () => {
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) {
    const r = docker(['run', '-d', '--name', `keep${i}`, 'busybox', 'sh', '-c', `echo started ${i}; exec sleep 1000`]);
    assert.equal(r.status, 0, r.stderr);
    ids.push(r.stdout.trim());
  }
  const short = docker(['run', '-d', '--name', 'short', 'busybox', 'sleep', '1000']).stdout.trim();
  const pids = ids.map((id) => Number(docker(['inspect', '-f', '{{.State.Pid}}', id]).stdout));
  await fx.d.crashAndRestart();
  for (const pid of pids) process.kill(pid, 0); // still alive
  const r = docker(['ps', '--format', '{{.Names}}']);
  for (let i = 0; i < 20; i++) assert.match(r.stdout, new RegExp(`^keep${i}$`, 'm'));
  assert.equal(docker(['logs', 'keep7']).stdout, 'started 7\n');
  // An exit that happens while no daemon watches is learnt by the next one.
  const shortPid = Number(docker(['inspect', '-f', '{{.State.Pid}}', short]).stdout);
  assert.ok(shortPid > 1, `a real pid: ${shortPid}`);
  await fx.d.crashAndRestart(() => { process.kill(shortPid, 'SIGKILL'); });
  await waitUntil(() => docker(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', short]).stdout === 'exited 137\n', 10_000, 'exit seen');
  assert.equal(docker(['rm', '-f', ...ids, short]).status, 0);
});

import { spawnSync } from 'node:child_process';

function spawnScript(host: string, cfgDir: string, cmd: string) {
  return spawnSync('script', ['-qec', cmd, '/dev/null'], {
    encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL', input: '',
    env: { PATH: process.env.PATH, HOME: cfgDir, DOCKER_CONFIG: cfgDir, DOCKER_HOST: host, TERM: 'xterm' },
  });
}
