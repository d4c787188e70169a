/**
 * Remote build contexts. The CLIs fetch them themselves (docker's legacy path): `skiff build URL`
 * against skiffd prints what `docker build URL` prints — an http(s) tarball or Dockerfile from a
 * server on 127.0.0.1, a git repository from `git daemon` on 127.0.0.1 with #ref:subdir, and the
 * errors. API clients send `remote=` and skiffd fetches: the same sources built through POST
 * /build. No clone is left behind by skiff or skiffd.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { processesMentioning } from '../../helpers/daemon.js';
import { dockerSkip, mask, setup, type Env, type Result } from './harness.js';

const gitSkip = spawnSync('git', ['--version']).error ? 'git is not installed' : false;

let env: Env;
let dir: string;
let http: ChildProcess | undefined;

/** Serves ctx.tar.gz and plain from the directory given, 404 for anything else; prints its port. */
const HTTP_SERVER = `
const { readFileSync } = require('node:fs');
const dir = process.argv[1];
const s = require('node:http').createServer((req, res) => {
  const name = (req.url || '/').slice(1);
  if (!['ctx.tar.gz', 'plain'].includes(name)) { res.writeHead(404, 'Not Found', { 'Content-Type': 'text/plain' }); res.end('nothing here\\n'); return; }
  const body = readFileSync(dir + '/' + name);
  res.writeHead(200, { 'Content-Length': body.length });
  res.end(body);
});
s.listen(0, '127.0.0.1', () => console.log(s.address().port));
`;
let base: string;
let gitd: ChildProcess | undefined;
let gitBase = '';

function sh(cmd: string, args: string[], cwd?: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
}

before(async () => {
  env = await setup();
  dir = mkdtempSync(join(tmpdir(), 'skiff-remote-ctx-'));
  const ctx = join(dir, 'ctx');
  mkdirSync(ctx);
  writeFileSync(join(ctx, 'Dockerfile'), 'FROM busybox\nCOPY hello.txt /\nCMD ["cat","/hello.txt"]\n');
  writeFileSync(join(ctx, 'hello.txt'), 'hello from a remote tarball\n');
  sh('tar', ['-C', ctx, '-czf', join(dir, 'ctx.tar.gz'), 'Dockerfile', 'hello.txt']);
  writeFileSync(join(dir, 'plain'), 'FROM busybox\nCMD ["echo","from a remote Dockerfile"]\n');
  // In a process of its own: the CLIs run through spawnSync, which blocks this one.
  http = spawn(process.execPath, ['-e', HTTP_SERVER, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((ok, fail) => {
    http!.stdout!.once('data', (b: Buffer) => ok(b.toString().trim()));
    http!.once('exit', () => fail(new Error('the test http server did not start')));
  });
  base = `http://127.0.0.1:${port}`;
  if (!gitSkip) {
    const repo = join(dir, 'work');
    mkdirSync(join(repo, 'sub'), { recursive: true });
    writeFileSync(join(repo, 'sub', 'Dockerfile'), 'FROM busybox\nCOPY a.txt /\nCMD ["cat","/a.txt"]\n');
    writeFileSync(join(repo, 'sub', 'a.txt'), 'from git\n');
    writeFileSync(join(repo, 'Dockerfile'), 'FROM busybox\nCMD ["echo","repository root"]\n');
    sh('git', ['init', '-q', '-b', 'trunk'], repo);
    sh('git', ['add', '-A'], repo);
    sh('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', 'commit', '-qm', 'init'], repo);
    sh('git', ['tag', 'v1'], repo);
    mkdirSync(join(dir, 'srv'));
    sh('git', ['clone', '-q', '--bare', repo, join(dir, 'srv', 'repo.git')]);
    const port = 20000 + (process.pid % 20000);
    // Its own process group: `git daemon` runs git-daemon as a child, which a kill of git alone
    // would leave behind.
    gitd = spawn('git', ['daemon', `--base-path=${join(dir, 'srv')}`, '--export-all', '--listen=127.0.0.1', `--port=${port}`, '--reuseaddr', join(dir, 'srv')], { stdio: 'ignore', detached: true });
    gitBase = `git://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      if (spawnSync('git', ['ls-remote', `${gitBase}/repo.git`], { timeout: 5000 }).status === 0) break;
      await sleep(100);
    }
  }
});

after(async () => {
  http?.kill('SIGKILL');
  // Only while its leader lives (unreaped), so the group id cannot belong to anyone else.
  if (gitd?.pid && gitd.exitCode === null && gitd.signalCode === null) {
    try {
      process.kill(-gitd.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  try {
    // Nothing the test started may outlive it: the http server and git daemon name `dir`.
    for (let i = 0; i < 100 && processesMentioning(dir).length; i++) await sleep(50);
    assert.deepEqual(processesMentioning(dir), [], 'a server of the test is still running');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await env?.close();
  }
});

/** docker 28 without buildx prints a deprecation notice about its own builder: not ours to copy. */
const noDeprecation = (s: string): string => s.replace(/^DEPRECATED: The legacy builder[\s\S]*?buildx\/\n\n/, '');
/** docker leaves its clone in /tmp when a build fails; skiff removes its own. */
const clones = (): string[] => readdirSync(tmpdir()).filter((n) => n.startsWith('docker-build-git'));

function same(args: string[]): Result {
  const before = clones();
  const s = env.skiff(args);
  assert.deepEqual(clones(), before, `skiff ${args.join(' ')} left a clone behind`);
  if (!dockerSkip) {
    const d = env.docker(args);
    for (const n of clones()) if (!before.includes(n)) rmSync(join(tmpdir(), n), { recursive: true, force: true });
    assert.equal(s.status, d.status, `${args.join(' ')}: skiff ${s.stderr} / docker ${d.stderr}`);
    assert.equal(mask(s.stdout), mask(d.stdout), `stdout of ${args.join(' ')}`);
    const clone = (t: string): string => t.replace(/skiff-build-git\w+/g, 'skiff-build-git<TMP>');
    assert.equal(clone(mask(s.stderr)), clone(mask(noDeprecation(d.stderr))), `stderr of ${args.join(' ')}`);
  }
  return s;
}

const runOut = (image: string): string => env.skiff(['run', '--rm', '--network', 'none', image]).stdout;

test('skiff build of an http tarball and of an http Dockerfile prints what docker build prints', () => {
  const r = same(['build', '--no-cache', '-t', 'remote-tar', `${base}/ctx.tar.gz`]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Downloading build context from remote url: http:\/\/127\.0\.0\.1:\d+\/ctx\.tar\.gz \[=+>\] +\d+B\/\d+B\r/);
  assert.equal(runOut('remote-tar'), 'hello from a remote tarball\n');
  const p = same(['build', '--no-cache', '-t', 'remote-df', `${base}/plain`]);
  assert.equal(p.status, 0, p.stderr);
  assert.match(p.stdout, /\r\r\nSending build context to Docker daemon {2}2\.048kB\r\r\n/);
  assert.equal(runOut('remote-df'), 'from a remote Dockerfile\n');
  const q = same(['build', '--no-cache', '-q', `${base}/ctx.tar.gz`]);
  assert.match(q.stdout, /^sha256:[0-9a-f]{64}\n$/);
  const missing = same(['build', `${base}/nope.tar`]);
  assert.equal(missing.status, 1);
  assert.equal(missing.stderr, `unable to prepare context: unable to download remote context ${base}/nope.tar: failed to GET ${base}/nope.tar with status 404 Not Found: nothing here\n`);
});

test('skiff build of a git repository at a ref and subdirectory; a missing repository or directory', { skip: gitSkip }, () => {
  const r = same(['build', '--no-cache', '-t', 'remote-git', `${gitBase}/repo.git#v1:sub`]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(runOut('remote-git'), 'from git\n');
  assert.equal(same(['build', `${gitBase}/repo.git#v1:nosuch`]).status, 1);
  const gone = same(['build', `${gitBase}/nope.git`]);
  assert.equal(gone.status, 1);
  assert.match(gone.stderr, /^unable to prepare context: unable to 'git clone' to temporary context directory: error fetching: /);
  // No ref: the default branch (here "trunk"), where docker asks for "master" and fails.
  const head = env.skiff(['build', '-t', 'remote-head', `${gitBase}/repo.git`]);
  assert.equal(head.status, 0, head.stderr);
  assert.equal(runOut('remote-head'), 'repository root\n');
});

test('POST /build?remote=: skiffd fetches tarballs, Dockerfiles and git repositories itself', async () => {
  const build = async (query: string): Promise<{ status: number; body: string }> => {
    const r = await env.d.request('POST', `/v1.47/build?${query}`, { headers: { 'Content-Type': 'application/x-tar' } });
    return { status: r.status, body: r.body };
  };
  let r = await build(`t=api-tar&remote=${encodeURIComponent(`${base}/ctx.tar.gz`)}`);
  assert.equal(r.status, 200, r.body);
  assert.match(r.body, /Successfully tagged api-tar:latest/);
  assert.equal(runOut('api-tar'), 'hello from a remote tarball\n');
  r = await build(`t=api-df&dockerfile=Custom.df&remote=${encodeURIComponent(`${base}/plain`)}`);
  assert.match(r.body, /Successfully tagged api-df:latest/);
  r = await build(`remote=${encodeURIComponent(`${base}/nope`)}`);
  assert.equal(r.status, 400);
  assert.match(r.body, /error downloading remote context http:\/\/127\.0\.0\.1:\d+\/nope: failed to GET .* with status 404 Not Found: nothing here/);
  r = await build('remote=ftp%3A%2F%2Fexample.invalid%2Fx');
  assert.equal(r.status, 400);
  assert.match(r.body, /remoteURL \(ftp:\/\/example\.invalid\/x\) could not be recognized as URL/);
  if (gitSkip) return;
  r = await build(`t=api-git&remote=${encodeURIComponent(`${gitBase}/repo.git#v1:sub`)}`);
  assert.equal(r.status, 200, r.body);
  assert.match(r.body, /Successfully tagged api-git:latest/);
  assert.equal(runOut('api-git'), 'from git\n');
  r = await build(`remote=${encodeURIComponent(`${gitBase}/nope.git`)}`);
  assert.equal(r.status, 400);
  assert.match(r.body, /error fetching: /);
  const left = readdirSync(join(env.d.dataRoot, 'builder')).filter((n) => n.startsWith('docker-build-git'));
  assert.deepEqual(left, [], 'the daemon removed its clones');
});
