/**
 * Image pull and push, skiffd vs dockerd side by side, from a Debian docker-registry on 127.0.0.1:
 * a 256 MiB single-layer image and a 10-layer image (10 × 16 MiB). Images are made locally from
 * random data (no Docker Hub), pushed once through skiffd, then each daemon pulls them (median of
 * N pulls, the local copy removed in between) and pushes them to a fresh repository.
 *
 *   node dist/bench/pull.js [--runs 3]      (as root; installs docker.io with apt if missing)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startRegistry } from '../test/integration/registry/fixtures.js';

const RUNS = process.argv.includes('--runs') ? Number(process.argv[process.argv.indexOf('--runs') + 1]) : 3;
const DOCKER = '/usr/local/bin/docker';

interface Daemon { name: string; socket: string; proc: ChildProcess; dir: string }

function ping(socket: string): Promise<boolean> {
  return new Promise((res) => {
    const r = request({ socketPath: socket, path: '/_ping' }, (x) => { x.resume(); res(x.statusCode === 200); });
    r.on('error', () => res(false));
    r.end();
  });
}

async function up(socket: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await ping(socket)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no daemon on ${socket}`);
}

function docker(d: Daemon, args: string[]) {
  const r = spawnSync(DOCKER, args, { encoding: 'utf8', timeout: 600_000, killSignal: 'SIGKILL', maxBuffer: 64 << 20, env: { ...process.env, DOCKER_HOST: `unix://${d.socket}` } });
  if (r.status !== 0) throw new Error(`${d.name}: docker ${args.join(' ')}: ${r.stderr}`);
  return r;
}

function timed(f: () => void): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

/** A tar of `layers` files of `size` bytes each, imported as one image per layer, chained with FROM-less import? No: one import gives one layer, so the 10-layer image is built with docker build. */
function buildImages(d: Daemon, work: string, reg: string): { single: string; multi: string } {
  const single = join(work, 'single');
  mkdirSync(single, { recursive: true });
  writeFileSync(join(single, 'blob'), randomBytes(256 << 20));
  spawnSync('tar', ['-C', single, '-cf', join(work, 'single.tar'), '.']);
  docker(d, ['import', join(work, 'single.tar'), `${reg}/bench/single:1`]);
  const ctx = join(work, 'ctx');
  mkdirSync(ctx, { recursive: true });
  const lines = ['FROM scratch'];
  for (let i = 0; i < 10; i++) {
    writeFileSync(join(ctx, `f${i}`), randomBytes(16 << 20));
    lines.push(`COPY f${i} /f${i}`);
  }
  writeFileSync(join(ctx, 'Dockerfile'), lines.join('\n') + '\n');
  spawnSync(DOCKER, ['build', '-q', '-t', `${reg}/bench/multi:1`, ctx], { stdio: 'ignore', timeout: 600_000, killSignal: 'SIGKILL', env: { ...process.env, DOCKER_HOST: `unix://${d.socket}`, DOCKER_BUILDKIT: '0' } });
  return { single: `${reg}/bench/single:1`, multi: `${reg}/bench/multi:1` };
}

async function main(): Promise<void> {
  const reg = await startRegistry();
  const host = `127.0.0.1:${reg.port}`;
  const work = mkdtempSync(join(tmpdir(), 'bench-pull-'));
  const daemons: Daemon[] = [];
  try {
    const sdir = join(work, 'skiffd');
    const s: Daemon = {
      name: 'skiffd', dir: sdir, socket: join(sdir, 's.sock'),
      proc: spawn(process.execPath, [resolve('bin/skiffd'), '--data-root', join(sdir, 'data'), '--exec-root', join(sdir, 'run'), '-H', `unix://${join(sdir, 's.sock')}`, '--bip', '10.238.3.1/24'],
        { stdio: 'ignore', env: { ...process.env, SKIFF_BRIDGE_NAME: 'skbenchp', SKIFF_NFT_TABLE: 'skiff-benchp', SKIFF_CGROUP_PARENT: '/skiff-benchp' } }),
    };
    daemons.push(s);
    await up(s.socket);
    const imgs = buildImages(s, work, host);
    docker(s, ['push', imgs.single]);
    docker(s, ['push', imgs.multi]);
    if (spawnSync('which', ['dockerd']).status !== 0) spawnSync('apt-get', ['install', '-y', '-qq', 'docker.io'], { stdio: 'ignore' });
    const ddir = join(work, 'dockerd');
    mkdirSync(ddir);
    spawnSync('ip', ['link', 'add', 'skbenchpd', 'type', 'bridge']);
    spawnSync('ip', ['addr', 'add', '10.238.4.1/24', 'dev', 'skbenchpd']);
    const k: Daemon = {
      name: 'dockerd', dir: ddir, socket: join(ddir, 'd.sock'),
      proc: spawn('dockerd', ['--data-root', join(ddir, 'data'), '--exec-root', join(ddir, 'run'), '-H', `unix://${join(ddir, 'd.sock')}`, '--pidfile', join(ddir, 'pid'),
        '--bridge', 'skbenchpd', '--iptables=false', '--containerd-namespace', 'benchpull', '--storage-driver', 'overlay2'], { stdio: 'ignore' }),
    };
    daemons.push(k);
    await up(k.socket);
    const res: Record<string, Record<string, number>> = {};
    for (const d of daemons) {
      const r: Record<string, number> = {};
      for (const [label, ref] of [['single', imgs.single], ['multi', imgs.multi]] as const) {
        const times: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          spawnSync(DOCKER, ['rmi', '-f', ref], { stdio: 'ignore', env: { ...process.env, DOCKER_HOST: `unix://${d.socket}` } });
          spawnSync(DOCKER, ['image', 'prune', '-af'], { stdio: 'ignore', env: { ...process.env, DOCKER_HOST: `unix://${d.socket}` } });
          times.push(timed(() => docker(d, ['pull', '-q', ref])));
        }
        r[`pull-${label}`] = median(times);
        // Push into an empty registry, so every blob is really uploaded (no cross-repo mount).
        const fresh = await startRegistry();
        try {
          const dest = `127.0.0.1:${fresh.port}/bench/${label}:1`;
          docker(d, ['tag', ref, dest]);
          r[`push-${label}`] = timed(() => docker(d, ['push', dest]));
          docker(d, ['rmi', dest]);
        } finally {
          await fresh.stop();
        }
      }
      res[d.name] = r;
      console.log(`${d.name}: pull 256 MiB ${r['pull-single']!.toFixed(0)} ms, pull 10 layers ${r['pull-multi']!.toFixed(0)} ms, push 256 MiB ${r['push-single']!.toFixed(0)} ms, push 10 layers ${r['push-multi']!.toFixed(0)} ms`);
    }
    const a = res.skiffd!, b = res.dockerd!;
    console.log('\nratios skiffd / dockerd (lower is better):');
    for (const key of Object.keys(a)) console.log(`  ${key.padEnd(12)} ${(a[key]! / b[key]!).toFixed(2)}`);
  } finally {
    for (const d of daemons) {
      d.proc.kill('SIGTERM');
      await new Promise((r) => { d.proc.once('exit', r); setTimeout(() => { d.proc.kill('SIGKILL'); r(undefined); }, 20_000); });
    }
    spawnSync('sh', ['-c', `grep ' ${work}' /proc/mounts | awk '{print $2}' | sort -r | xargs -r -n1 umount -l`]);
    rmSync(work, { recursive: true, force: true });
    await reg.stop();
    for (const l of ['skbenchp', 'skbenchpd']) spawnSync('ip', ['link', 'del', l]);
    spawnSync('nft', ['delete', 'table', 'ip', 'skiff-benchp']);
    for (const h of spawnSync('ls', ['/sys/fs/cgroup'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)) spawnSync('rmdir', [join('/sys/fs/cgroup', h, 'skiff-benchp')]);
  }
}

await main();
