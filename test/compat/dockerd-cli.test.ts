/**
 * skiff against a real dockerd (Debian's docker.io) gives what the stock docker CLI gives against
 * it: each scenario is a list of commands that leaves the daemon as it found it, run once with
 * docker and once with skiff; outputs and exit codes are compared command by command after
 * masking ids and times. Only where dockerd and the docker CLI are installed (skipped, saying so,
 * elsewhere); the daemon has private roots, its own bridge and no iptables rules, and is removed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { cleanup, docker as benchDocker, startDockerd, workspace, type BenchDaemon } from '../../bench/lib.js';
import { mask, maskTable } from '../integration/cli/harness.js';

const DOCKER = '/usr/local/bin/docker';
const SKIFF = resolve('bin/skiff');
const haveDockerd = spawnSync('which', ['dockerd']).status === 0 && existsSync(DOCKER);
const skip = haveDockerd ? false : 'dockerd (Debian docker.io) or the docker CLI is not installed';
if (skip) console.log(`# skipping skiff-vs-docker against dockerd: ${skip}`);

let d: BenchDaemon | undefined;
let work = '';

before(async () => {
  if (skip) return;
  const ws = workspace('skiff-dcli-');
  work = ws.work;
  d = await startDockerd(work, 'dcl', '10.238.17.1/24');
  if (!d) throw new Error('dockerd did not start');
  benchDocker(d, ['import', '-c', 'CMD ["sh"]', ws.tar, 'busybox:latest']);
});

after(async () => {
  if (skip || !work) return;
  await cleanup(d ? [d] : [], work, 'dcl');
});

interface Out { status: number | null; stdout: string; stderr: string }

function cli(bin: string, args: string[]): Out {
  const r = spawnSync(bin, args, {
    encoding: 'utf8', input: '', timeout: 60_000, killSignal: 'SIGKILL',
    env: { ...process.env, DOCKER_HOST: `unix://${d!.socket}`, DOCKER_CONFIG: `${work}/cfg-${bin === DOCKER ? 'docker' : 'skiff'}`, TZ: 'UTC' },
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Runs the commands with docker, then with skiff, and compares each pair. */
function scenario(cmds: string[][], maskFn: (s: string) => string = maskTable): Out[] {
  const viaDocker = cmds.map((c) => cli(DOCKER, c));
  const viaSkiff = cmds.map((c) => cli(SKIFF, c));
  cmds.forEach((c, i) => {
    const [a, b] = [viaDocker[i]!, viaSkiff[i]!];
    const what = c.join(' ');
    assert.equal(b.status, a.status, `exit status of ${what}: skiff ${b.stderr} / docker ${a.stderr}`);
    assert.equal(maskFn(b.stdout), maskFn(a.stdout), `stdout of ${what}`);
    assert.equal(maskFn(b.stderr), maskFn(a.stderr), `stderr of ${what}`);
  });
  return viaSkiff;
}

test('version, info and images as docker shows them from dockerd', { skip }, () => {
  const [v] = scenario([
    ['version', '--format', '{{.Server.Version}} {{.Server.Os}}/{{.Server.Arch}}'],
    ['info', '--format', '{{.ServerVersion}} {{.Driver}} {{.Images}}'],
    ['images'],
    ['images', '-q'],
    ['images', '--format', '{{.Repository}}:{{.Tag}} {{.Size}}'],
    ['image', 'inspect', '-f', '{{.Os}} {{json .Config.Cmd}}', 'busybox'],
  ]);
  assert.match(v!.stdout, /^\d+\.\d+\.\d+\S* linux\//);
});

test('run: output, exit codes, a missing image, --rm', { skip }, () => {
  scenario([
    ['run', '--rm', '--network', 'none', 'busybox', 'echo', 'hello from dockerd'],
    ['run', '--rm', '--network', 'none', 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 3'],
    ['run', '--rm', '--network', 'none', 'busybox', '/nonexistent'],
    ['run', '--rm', '--pull', 'never', 'nosuch-image:1'],
    ['run', '--rm', '--network', 'none', '-e', 'A=1', '-w', '/tmp', 'busybox', 'sh', '-c', 'echo $A $(pwd)'],
    ['ps', '-a', '-q'],
  ]);
});

test('a container\'s life: create, start, logs, exec, inspect, ps, stop, rm, and errors', { skip }, () => {
  scenario([
    ['create', '--name', 'dcli-life', '--network', 'none', '--label', 'k=v', 'busybox', 'sh', '-c', 'echo started; sleep 1000'],
    ['ps', '-a', '--format', '{{.Names}} {{.Status}} {{.Labels}}'],
    ['start', 'dcli-life'],
    ['exec', 'dcli-life', 'sh', '-c', 'echo in exec; exit 4'],
    ['inspect', '-f', '{{.State.Running}} {{.Config.Labels.k}} {{.HostConfig.NetworkMode}}', 'dcli-life'],
    ['ps', '--filter', 'label=k=v', '--format', '{{.Names}}'],
    ['ps'],
    ['rename', 'dcli-life', 'dcli-life2'],
    ['stop', '-t', '1', 'dcli-life2'],
    ['logs', 'dcli-life2'],
    ['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'dcli-life2'],
    ['rm', 'dcli-life2'],
    ['inspect', 'dcli-life2'],
    ['rm', 'nosuch'],
    ['stop', 'nosuch'],
    ['logs'],
  ]);
});

test('networks, volumes, tags and history', { skip }, () => {
  scenario([
    ['network', 'create', '--subnet', '10.238.18.0/24', 'dcli-net'],
    ['network', 'ls', '--filter', 'name=dcli-net', '--format', '{{.Name}} {{.Driver}} {{.Scope}}'],
    ['network', 'inspect', '-f', '{{range .IPAM.Config}}{{.Subnet}}{{end}}', 'dcli-net'],
    ['network', 'rm', 'dcli-net'],
    ['network', 'rm', 'dcli-net'],
    ['volume', 'create', '--label', 'a=b', 'dcli-vol'],
    ['volume', 'ls', '--filter', 'label=a=b'],
    ['volume', 'inspect', '-f', '{{.Name}} {{.Driver}} {{.Labels}}', 'dcli-vol'],
    ['run', '--rm', '--network', 'none', '-v', 'dcli-vol:/data', 'busybox', 'sh', '-c', 'echo kept > /data/f; cat /data/f'],
    ['volume', 'rm', 'dcli-vol'],
    ['tag', 'busybox', 'dcli/tagged:1'],
    ['images', '--format', '{{.Repository}}:{{.Tag}}', 'dcli/tagged'],
    ['history', '--format', '{{.CreatedBy}} {{.Comment}}', 'dcli/tagged:1'],
    ['rmi', 'dcli/tagged:1'],
    ['rmi', 'dcli/tagged:1'],
  ]);
});
