/**
 * Networking, skiffd vs dockerd side by side: 50 containers started on one user-defined bridge
 * network, and TCP throughput through a port published on 127.0.0.1 (skiff's userland proxy vs
 * docker-proxy), a bounded 512 MiB transfer into `nc -l` in a container. The network's share of
 * a container start comes from bench/engine.ts (bridge minus none).
 *
 *   node dist/bench/network.js      (as root; installs docker.io with apt if missing)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { makeBusyboxRootfs } from '../test/helpers/rootfs.js';

const DOCKER = '/usr/local/bin/docker';
const COUNT = 50;
const BYTES = 1024 << 20;

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

function docker(d: Daemon, args: string[]): string {
  const r = spawnSync(DOCKER, args, { encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL', env: { ...process.env, DOCKER_HOST: `unix://${d.socket}` } });
  if (r.status !== 0) throw new Error(`${d.name}: docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Sends BYTES; resolves with the time the connection took, start to close. */
function send(port: number): Promise<number> {
  return new Promise((res, rej) => {
    const chunk = Buffer.alloc(1 << 20, 7);
    const t0 = performance.now();
    const s = connect(port, '127.0.0.1', () => {
      let sent = 0;
      const pump = () => {
        while (sent < BYTES) {
          sent += chunk.length;
          if (!s.write(chunk)) return void s.once('drain', pump);
        }
        s.end();
      };
      pump();
    });
    s.on('close', () => res(performance.now() - t0));
    s.on('error', rej);
    s.resume();
  });
}

async function measure(d: Daemon, subnet: string): Promise<{ startMs: number; mibps: number }> {
  docker(d, ['network', 'create', '--subnet', subnet, 'benchnet']);
  const t0 = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < COUNT; i++) ids.push(docker(d, ['run', '-d', '--network', 'benchnet', 'busybox', 'sleep', '1000']).trim());
  const startMs = performance.now() - t0;
  docker(d, ['rm', '-f', ...ids]);
  const sink = docker(d, ['run', '-d', '-i', '-p', '127.0.0.1::80', 'busybox', 'sh', '-c', 'nc -l -p 80 | wc -c']).trim();
  const port = Number(/:(\d+)\s*$/.exec(docker(d, ['port', sink, '80']).trim())![1]);
  await new Promise((r) => setTimeout(r, 500));
  const t1 = performance.now();
  await send(port);
  docker(d, ['wait', sink]);
  const ms = performance.now() - t1;
  const received = Number(docker(d, ['logs', sink]).trim());
  if (received !== BYTES) throw new Error(`${d.name}: the sink received ${received} of ${BYTES} bytes`);
  const mibps = BYTES / (1 << 20) / (ms / 1000);
  docker(d, ['rm', '-f', sink]);
  docker(d, ['network', 'rm', 'benchnet']);
  return { startMs, mibps };
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'bench-net-'));
  makeBusyboxRootfs(join(work, 'rootfs'));
  const tar = join(work, 'bb.tar');
  spawnSync('tar', ['-C', join(work, 'rootfs'), '-cf', tar, '.']);
  const daemons: Daemon[] = [];
  try {
    const sdir = join(work, 'skiffd');
    const s: Daemon = {
      name: 'skiffd', dir: sdir, socket: join(sdir, 's.sock'),
      proc: spawn(process.execPath, [resolve('bin/skiffd'), '--data-root', join(sdir, 'data'), '--exec-root', join(sdir, 'run'), '-H', `unix://${join(sdir, 's.sock')}`, '--bip', '10.238.5.1/24'],
        { stdio: 'ignore', env: { ...process.env, SKIFF_BRIDGE_NAME: 'skbenchn', SKIFF_NFT_TABLE: 'skiff-benchn', SKIFF_CGROUP_PARENT: '/skiff-benchn' } }),
    };
    daemons.push(s);
    await up(s.socket);
    if (spawnSync('which', ['dockerd']).status !== 0) spawnSync('apt-get', ['install', '-y', '-qq', 'docker.io'], { stdio: 'ignore' });
    const ddir = join(work, 'dockerd');
    spawnSync('ip', ['link', 'add', 'skbenchnd', 'type', 'bridge']);
    spawnSync('ip', ['addr', 'add', '10.238.6.1/24', 'dev', 'skbenchnd']);
    const k: Daemon = {
      name: 'dockerd', dir: ddir, socket: join(work, 'd.sock'),
      proc: spawn('dockerd', ['--data-root', join(ddir, 'data'), '--exec-root', join(ddir, 'run'), '-H', `unix://${join(work, 'd.sock')}`, '--pidfile', join(work, 'd.pid'),
        '--bridge', 'skbenchnd', '--iptables=false', '--containerd-namespace', 'benchnet', '--storage-driver', 'overlay2'], { stdio: 'ignore' }),
    };
    daemons.push(k);
    await up(k.socket);
    const res: Record<string, { startMs: number; mibps: number }> = {};
    for (const [d, subnet] of [[s, '10.238.7.0/24'], [k, '10.238.8.0/24']] as const) {
      docker(d, ['import', tar, 'busybox:latest']);
      res[d.name] = await measure(d, subnet);
      console.log(`${d.name}: ${COUNT} containers on one network ${res[d.name]!.startMs.toFixed(0)} ms; published-port TCP ${res[d.name]!.mibps.toFixed(0)} MiB/s`);
    }
    console.log(`\nratios skiffd / dockerd: ${COUNT} starts ${(res.skiffd!.startMs / res.dockerd!.startMs).toFixed(2)} (lower is better); ` +
      `throughput ${(res.skiffd!.mibps / res.dockerd!.mibps).toFixed(2)} (higher is better)`);
  } finally {
    for (const d of daemons) {
      d.proc.kill('SIGTERM');
      await new Promise((r) => { d.proc.once('exit', r); setTimeout(() => { d.proc.kill('SIGKILL'); r(undefined); }, 20_000); });
    }
    spawnSync('sh', ['-c', `grep ' ${work}' /proc/mounts | awk '{print $2}' | sort -r | xargs -r -n1 umount -l`]);
    rmSync(work, { recursive: true, force: true });
    for (const l of ['skbenchn', 'skbenchnd']) spawnSync('ip', ['link', 'del', l]);
    spawnSync('nft', ['delete', 'table', 'ip', 'skiff-benchn']);
    for (const h of spawnSync('ls', ['/sys/fs/cgroup'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)) spawnSync('rmdir', [join('/sys/fs/cgroup', h, 'skiff-benchn')]);
  }
}

await main();
