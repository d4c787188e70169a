/**
 * skiff vs the stock docker CLI against the same skiffd: tables, `--format` output, inspect
 * fields, run exit codes (incl. 125/126/127), logs, exec, flag and command errors — compared
 * after masking ids and times. Each scenario also checks skiff on its own, so the skiff half
 * runs when docker is absent.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { dockerSkip, mask, maskTable, setup, type Env, type Result } from './harness.js';

let env: Env;
before(async () => {
  env = await setup();
  if (dockerSkip) console.log(`# skipping docker comparisons: ${dockerSkip}`);
});
after(async () => env && (await env.close()));

/** Runs `args` with both CLIs and checks the outputs and statuses agree (after masking). */
function same(args: string[], maskFn: (s: string) => string = mask): Result {
  const s = env.skiff(args);
  if (!dockerSkip) {
    const d = env.docker(args);
    assert.equal(s.status, d.status, `status of ${args.join(' ')}: skiff ${s.stderr} / docker ${d.stderr}`);
    assert.equal(maskFn(s.stdout), maskFn(d.stdout), `stdout of ${args.join(' ')}`);
    assert.equal(maskFn(s.stderr), maskFn(d.stderr), `stderr of ${args.join(' ')}`);
  }
  return s;
}

test('version --format and images', () => {
  assert.match(same(['version', '--format', '{{.Server.Version}}']).stdout, /\S/);
  const imgs = same(['images'], maskTable);
  assert.match(imgs.stdout, /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE\nbusybox\s+latest\s+[0-9a-f]{12}\s+/);
  same(['images', '--format', '{{.Repository}}:{{.Tag}} {{.Size}}']);
  same(['images', '-q']);
  same(['images', '--format', 'json']);
  same(['image', 'inspect', '--format', '{{.Config.Cmd}} {{.Os}}', 'busybox']);
});

test('run: output, exit status, logs', () => {
  for (const [who, run] of [['skiff', env.skiff], ['docker', env.docker]] as const) {
    if (who === 'docker' && dockerSkip) continue;
    const r = run(['run', '--name', `exit-${who}`, 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    assert.equal(r.status, 3, r.stderr);
    assert.equal(r.stdout, 'out\n');
    assert.equal(r.stderr, 'err\n');
    const e = run(['run', '--rm', '-e', 'A=1', '-w', '/tmp', '-u', '65534', 'busybox', 'sh', '-c', 'echo $A $(pwd) $(id -u)']);
    assert.equal(e.stdout, '1 /tmp 65534\n', e.stderr);
  }
  same(['logs', 'exit-skiff']);
  same(['logs', '--tail', '1', 'exit-skiff']);
  same(['wait', 'exit-skiff']);
  same(['inspect', '--format', '{{.State.ExitCode}} {{.Config.Image}} {{.Name}}', 'exit-skiff']);
});

test('run failures: 125, 126, 127 with docker wording', () => {
  assert.equal(same(['run', 'busybox', 'nosuch-cmd']).status, 127);
  assert.equal(same(['run', 'busybox', '/etc']).status, 126);
  assert.equal(same(['run', '--foo', 'busybox']).status, 125);
  assert.equal(same(['run', 'no-such-image-here', 'true'], maskTable).status === 0, false);
});

test('ps table, --format, -q, -n, --no-trunc', () => {
  env.skiff(['run', '-d', '--name', 'ps-sleeper', '-l', 'k=v', 'busybox', 'sleep', '60']);
  const t = same(['ps'], maskTable);
  assert.match(t.stdout, /^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES\n/);
  assert.match(t.stdout, /"sleep 60"/);
  same(['ps', '-a'], maskTable);
  same(['ps', '-a', '--format', '{{.Names}} {{.Command}} {{.State}} {{.Label "k"}}']);
  same(['ps', '-aq']);
  same(['ps', '-n', '2', '--format', '{{.Names}}']);
  same(['ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.Command}}']);
  same(['ps', '--filter', 'name=ps-sleeper', '--format', 'table {{.Names}}\t{{.Image}}'], maskTable);
  same(['ps', '-a', '--format', 'json'], (s) => mask(s).replace(/"(CreatedAt|RunningFor|Status)":"[^"]*"/g, '"$1":""'));
  // Sizes (-s): the writable layer, and with the image under it ("virtual").
  env.skiff(['run', '--name', 'ps-writer', 'busybox', 'sh', '-c', 'head -c 100000 /dev/zero > /f']);
  const sized = same(['ps', '-a', '-s', '--filter', 'name=ps-writer', '--format', '{{.Names}} {{.Size}}']);
  assert.match(sized.stdout, /^ps-writer \d+(\.\d+)?kB \(virtual \d+(\.\d+)?MB\)\n$/);
  const sizes = same(['inspect', '-s', '-f', '{{.SizeRw}} {{.SizeRootFs}}', 'ps-writer']).stdout.trim().split(' ').map(Number);
  assert.ok(sizes[0]! >= 100000 && sizes[1]! > sizes[0]!, `sizes ${sizes.join(' ')}`);
  // system df -v lists them with docker's four sections (a volume in use by one).
  env.skiff(['run', '--name', 'df-vol', '-v', 'df-data:/data', 'busybox', 'sh', '-c', 'echo kept > /data/f']);
  const df = maskTable(same(['system', 'df', '-v'], maskTable).stdout);
  assert.match(df, /^Images space usage:\n\nREPOSITORY  TAG  IMAGE ID  CREATED  SIZE  SHARED SIZE  UNIQUE SIZE  CONTAINERS\n/);
  assert.match(df, /\nLocal Volumes space usage:\n\nVOLUME NAME  LINKS  SIZE\n(.*\n)*df-data  1  5B\n/);
  env.skiff(['rm', 'ps-writer', 'df-vol']);
  env.skiff(['volume', 'rm', 'df-data']);
});

test('exec: output and exit code', () => {
  assert.equal(same(['exec', 'ps-sleeper', 'sh', '-c', 'echo in; exit 7']).status, 7);
  assert.equal(same(['exec', '-e', 'X=y', '-w', '/tmp', 'ps-sleeper', 'sh', '-c', 'echo $X $(pwd)']).stdout, 'y /tmp\n');
  assert.equal(same(['top', 'ps-sleeper'], maskTable).status, 0);
});

test('flag and command errors', () => {
  assert.equal(same(['ps', '--foo']).status, 125);
  assert.equal(same(['ps', '-a', '-z']).status, 125);
  assert.equal(same(['ps', '-n']).status, 125);
  assert.equal(same(['stop']).status, 1);
  assert.equal(same(['logs']).status, 1);
  assert.equal(same(['no-such-command']).status, 1);
  assert.equal(same(['rm', 'nosuch']).status, 1);
  assert.equal(same(['inspect', 'nosuch']).status, 1);
  assert.equal(same(['container', 'inspect', 'nosuch']).status, 1);
  // Endpoint errors fail every command before it runs (`version` prints no client part).
  for (const args of [['--context', 'nosuch', 'ps'], ['-H', 'ftp://nowhere', 'version'], ['--tlsverify', '-H', 'tcp://127.0.0.1:1', 'version']]) {
    const r = same(args);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^Failed to initialize: unable to resolve docker endpoint: /);
  }
});

test('help: group listings with descriptions (on stderr without a command), options wrapped as docker 28 does', () => {
  for (const args of [['container', '--help'], ['context', '--help'], ['system', '--help'], ['network', '--help'], ['volume', '--help'],
    ['ps', '--help'], ['logs', '--help'], ['inspect', '--help'], ['version', '--help'], ['info', '--help'], ['stats', '--help'],
    ['exec', '--help'], ['stop', '--help'], ['container'], ['image']]) {
    const r = same(args);
    assert.equal(r.status, 0);
    assert.match(args.length === 1 ? r.stderr : r.stdout, /^Usage: {2}skiff /);
  }
  assert.doesNotMatch(same(['system', '--help']).stdout, /dial-stdio/);
  const unknown = same(['system', 'nope']);
  assert.equal(unknown.stderr, "skiff: unknown command: skiff system nope\n\nUsage:  skiff system\n\nRun 'skiff system --help' for more information\n");
  // The root help lists the commands skiff has, in docker's sections.
  const root = env.skiff(['--help']);
  assert.match(root.stdout, /^Usage: {2}skiff \[OPTIONS\] COMMAND\n\nA self-sufficient runtime for containers\n\nCommon Commands:\n {2}run {9}Create and run a new container from an image\n/);
  assert.match(root.stdout, /\nManagement Commands:\n {2}builder {5}Manage builds\n/);
});

test('lifecycle: stop, start, restart, kill, rename, rm', () => {
  assert.match(env.skiff(['create', '--name', 'life', 'busybox', 'sleep', '60']).stdout, /^[0-9a-f]{64}\n$/);
  // a second create conflicts on the name: same message and status from both CLIs
  assert.equal(same(['create', '--name', 'life', 'busybox'], maskTable).status, 1);
  assert.equal(env.skiff(['start', 'life']).stdout, 'life\n');
  assert.equal(env.skiff(['kill', '-s', 'KILL', 'life']).stdout, 'life\n');
  assert.equal(env.skiff(['wait', 'life']).stdout, '137\n');
  assert.equal(env.skiff(['rename', 'life', 'life2']).status, 0);
  assert.equal(env.skiff(['restart', '-t', '1', 'life2']).stdout, 'life2\n');
  assert.equal(env.skiff(['stop', '-t', '1', 'life2']).stdout, 'life2\n');
  assert.equal(env.skiff(['rm', '-f', 'life2', 'ps-sleeper']).stdout, 'life2\nps-sleeper\n');
});

test('daemon down: docker message and exit 1', () => {
  const down = { DOCKER_HOST: 'unix:///nonexistent/skiff.sock' };
  const s = env.skiff(['ps'], down);
  assert.equal(s.status, 1);
  assert.equal(s.stderr, 'Cannot connect to the Docker daemon at unix:///nonexistent/skiff.sock. Is the docker daemon running?\n');
  if (!dockerSkip) {
    const d = env.docker(['ps'], down);
    assert.equal(s.stderr, d.stderr);
    assert.equal(s.status, d.status);
  }
});
