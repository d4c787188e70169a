/**
 * `docker cp`, `docker export`, `docker update` and health checks, driven by the stock docker
 * CLI against a real skiffd with a busybox image imported into it. Containers run with
 * `--network none` so the test needs no bridge. Every docker call is bounded and killed with
 * SIGKILL (`docker run` forwards SIGTERM to the container).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { PassThrough } from 'node:stream';
import { TarWriter } from '../../../src/containerd/archive/tar/index.js';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDaemon, type TestDaemon } from '../../helpers/daemon.js';
import { makeBusyboxRootfs, removeDir, tempDir } from '../../helpers/rootfs.js';

const DOCKER = '/usr/local/bin/docker';
const skip = existsSync(DOCKER) ? false : `${DOCKER} is not installed`;
if (skip) console.log(`# skipping docker CLI container tests: ${skip}`);

let d: TestDaemon;
let work: string;
const names: string[] = [];

function docker(args: string[], input?: Buffer): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(DOCKER, args, {
    encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL', input, maxBuffer: 64 << 20,
    env: { ...process.env, DOCKER_HOST: d.host, DOCKER_CONFIG: join(work, 'docker-config'), DOCKER_CONTEXT: '', DOCKER_API_VERSION: '' },
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

function ok(args: string[], input?: Buffer): string {
  const r = docker(args, input);
  assert.equal(r.status, 0, `docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

function runDetached(name: string, extra: string[] = []): string {
  names.push(name);
  return ok(['run', '-d', '--network', 'none', '--name', name, ...extra, 'busybox', 'sleep', '1000']);
}

/** A raw API call with a binary body (a tar for PUT /archive). */
function call(method: string, path: string, body?: Buffer): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: d.socket, method, path, headers: body ? { 'Content-Type': 'application/x-tar', 'Content-Length': String(body.length) } : {} }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('latin1')));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function tarOf(entries: { name: string; data: string }[]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const w = new TarWriter(out);
  for (const e of entries) await w.add({ name: e.name, type: 'file', mode: 0o644, size: e.data.length }, Buffer.from(e.data));
  await w.finish();
  return Buffer.concat(chunks);
}

async function until<T>(what: string, f: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

before(async () => {
  if (skip) return;
  work = tempDir('skiff-extra-');
  d = await startDaemon();
  const rootfs = makeBusyboxRootfs(join(work, 'rootfs'));
  const tar = spawnSync('tar', ['-C', rootfs, '-c', '.'], { maxBuffer: 64 << 20 });
  assert.equal(tar.status, 0);
  ok(['import', '--change', 'CMD ["sh"]', '-', 'busybox:latest'], tar.stdout);
});

after(async () => {
  if (skip) return;
  for (const n of names) docker(['rm', '-f', n]);
  await d.stop();
  removeDir(work);
});

test('docker cp copies files and directories into and out of a container, running or stopped', { skip }, async () => {
  runDetached('cp1');
  const src = join(work, 'src');
  mkdirSync(join(src, 'dir/sub'), { recursive: true });
  writeFileSync(join(src, 'f.txt'), 'hello\n');
  writeFileSync(join(src, 'dir/sub/b.txt'), 'bee\n');
  ok(['cp', join(src, 'f.txt'), 'cp1:/tmp/']);
  ok(['cp', join(src, 'dir'), 'cp1:/tmp/d']);
  assert.equal(ok(['exec', 'cp1', 'cat', '/tmp/f.txt', '/tmp/d/sub/b.txt']), 'hello\nbee');
  assert.equal(ok(['exec', 'cp1', 'stat', '-c', '%u:%g', '/tmp/f.txt']), '0:0');

  const out = join(work, 'out');
  mkdirSync(out);
  ok(['cp', 'cp1:/etc/passwd', join(out, 'passwd')]);
  assert.equal(readFileSync(join(out, 'passwd'), 'utf8'), readFileSync(join(work, 'rootfs/etc/passwd'), 'utf8'));
  ok(['cp', 'cp1:/tmp/d', join(out, 'd')]);
  assert.equal(readFileSync(join(out, 'd/sub/b.txt'), 'utf8'), 'bee\n');

  // A link climbing out of the root stays inside: cp through it reads and writes the container's /etc.
  ok(['exec', 'cp1', 'ln', '-s', '../../../../../../etc', '/tmp/esc']);
  ok(['cp', 'cp1:/tmp/esc/passwd', join(out, 'esc-passwd')]);
  assert.equal(readFileSync(join(out, 'esc-passwd'), 'utf8'), readFileSync(join(work, 'rootfs/etc/passwd'), 'utf8'));
  const marker = `skiff-cp-${process.pid}.txt`;
  writeFileSync(join(src, marker), 'inside\n');
  ok(['exec', 'cp1', 'ln', '-s', '/etc', '/tmp/abs']);
  ok(['cp', join(src, marker), 'cp1:/tmp/abs/']);
  assert.equal(existsSync(join('/etc', marker)), false);
  assert.equal(ok(['exec', 'cp1', 'cat', `/etc/${marker}`]), 'inside');

  const missing = docker(['cp', 'cp1:/nope', out]);
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /Could not find the file \/nope in container cp1|No such container:path/);

  ok(['stop', '-t', '0', 'cp1']);
  ok(['cp', 'cp1:/tmp/f.txt', join(out, 'stopped.txt')]);
  assert.equal(readFileSync(join(out, 'stopped.txt'), 'utf8'), 'hello\n');
  ok(['cp', join(src, 'dir'), 'cp1:/tmp/d2']);
  ok(['cp', 'cp1:/tmp/d2/sub/b.txt', join(out, 'b2.txt')]);
  assert.equal(readFileSync(join(out, 'b2.txt'), 'utf8'), 'bee\n');
  // The daemon unmounts the stopped container's rootfs right after the tar stream ends.
  const mounted = () => readFileSync('/proc/self/mountinfo', 'utf8').includes(join(d.execRoot, 'rootfs-'));
  for (let i = 0; i < 50 && mounted(); i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(mounted(), false);
});

test('docker export writes the whole filesystem as a tar', { skip }, () => {
  runDetached('exp1');
  ok(['exec', 'exp1', 'sh', '-c', 'echo x > /root/made-here']);
  const file = join(work, 'exp1.tar');
  ok(['export', '-o', file, 'exp1']);
  const list = spawnSync('tar', ['-tf', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(list.status, 0, list.stderr);
  const entries = list.stdout.split('\n');
  assert.ok(entries.includes('bin/busybox'), entries.slice(0, 20).join(' '));
  assert.ok(entries.includes('root/made-here'));
});

test('docker update changes the cgroup limits and the record', { skip }, () => {
  const id = runDetached('upd1');
  ok(['update', '--memory', '64m', '--cpus', '0.5', 'upd1']);
  // The cgroup as the kernel reports it for the container's process: whatever parent the daemon uses.
  const pid = ok(['inspect', '-f', '{{.State.Pid}}', 'upd1']);
  const cgroups = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n').map((l) => l.split(':'));
  const v1 = existsSync('/sys/fs/cgroup/memory');
  const dirOf = (ctl: string) => {
    const line = cgroups.find((c) => (v1 ? c[1]!.split(',').includes(ctl) : c[0] === '0'))!;
    return v1 ? `/sys/fs/cgroup/${line[1]}${line[2]}` : `/sys/fs/cgroup${line[2]}`;
  };
  assert.ok(dirOf('memory').endsWith(`/${id}`), dirOf('memory'));
  const mem = v1 ? `${dirOf('memory')}/memory.limit_in_bytes` : `${dirOf('memory')}/memory.max`;
  assert.equal(readFileSync(mem, 'utf8').trim(), String(64 << 20));
  const cpu = v1 ? readFileSync(`${dirOf('cpu')}/cpu.cfs_quota_us`, 'utf8').trim() : readFileSync(`${dirOf('cpu')}/cpu.max`, 'utf8').split(' ')[0];
  assert.equal(cpu, '50000');
  const hc = JSON.parse(ok(['inspect', '-f', '{{json .HostConfig}}', 'upd1'])) as { Memory: number; NanoCpus: number };
  assert.equal(hc.Memory, 64 << 20);
  assert.equal(hc.NanoCpus, 500_000_000);
  const bad = docker(['update', '--memory', '1m', 'upd1']);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /Minimum memory limit allowed is 6MB/);
});

test('a health check goes starting → unhealthy → healthy', { skip }, async () => {
  runDetached('hc1', ['--health-cmd', 'test -f /tmp/ok', '--health-interval', '1s', '--health-retries', '2']);
  const status = () => ok(['inspect', '-f', '{{.State.Health.Status}}', 'hc1']);
  assert.equal(status(), 'starting');
  await until('unhealthy', () => (status() === 'unhealthy' ? true : undefined));
  assert.match(ok(['ps', '--filter', 'name=hc1', '--format', '{{.Status}}']), /\(unhealthy\)/);
  ok(['exec', 'hc1', 'touch', '/tmp/ok']);
  await until('healthy', () => (status() === 'healthy' ? true : undefined));
  assert.match(ok(['ps', '--filter', 'name=hc1', '--format', '{{.Status}}']), /\(healthy\)/);
  const health = JSON.parse(ok(['inspect', '-f', '{{json .State.Health}}', 'hc1'])) as { FailingStreak: number; Log: { ExitCode: number }[] };
  assert.equal(health.FailingStreak, 0);
  assert.ok(health.Log.length >= 3 && health.Log.length <= 5);
  assert.equal(health.Log.at(-1)!.ExitCode, 0);
  assert.ok(health.Log.some((l) => l.ExitCode === 1));
});

test('the archive endpoints: stat header, Docker errors, entries escaping the directory refused', { skip }, async () => {
  const id = runDetached('api1');
  const head = await call('HEAD', `/containers/${id}/archive?path=/tmp`);
  assert.equal(head.status, 200);
  const stat = JSON.parse(Buffer.from(String(head.headers['x-docker-container-path-stat']), 'base64').toString()) as { name: string; mode: number };
  assert.equal(stat.name, 'tmp');
  assert.equal(stat.mode, 2 ** 31 + 2 ** 20 + 0o777);
  assert.equal((await call('HEAD', `/containers/${id}/archive?path=/nope`)).status, 404);
  const tar = await tarOf([{ name: 'ok.txt', data: 'ok' }]);
  const missing = await call('PUT', `/containers/api1/archive?path=/nope`, tar);
  assert.equal(missing.status, 404);
  assert.match(missing.body, /Could not find the file \/nope in container api1/);
  const notDir = await call('PUT', `/containers/${id}/archive?path=/etc/passwd`, tar);
  assert.equal(notDir.status, 400);
  assert.match(notDir.body, /extraction point is not a directory/);
  const evil = `skiff-evil-${process.pid}`;
  for (const name of [`../../../../tmp/${evil}`, `/tmp/${evil}`]) {
    const r = await call('PUT', `/containers/${id}/archive?path=/root`, await tarOf([{ name, data: 'x' }]));
    assert.equal(r.status, 400, r.body);
  }
  assert.equal(existsSync(`/tmp/${evil}`), false);
  assert.equal(docker(['exec', 'api1', 'test', '-e', `/tmp/${evil}`]).status, 1);
});
