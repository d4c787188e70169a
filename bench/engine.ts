/**
 * skiffd vs dockerd, side by side in one run, on the same busybox image:
 *  - create+start+wait+remove through the Engine API (no CLI), --network none and bridge;
 *  - `docker run --rm busybox true` with the stock CLI against each daemon;
 *  - 100 containers started one after the other (detached, then removed);
 *  - per-container overhead: shim RSS (skiff-shim vs containerd-shim-runc-v2) and daemon RSS.
 * Installs Debian's docker.io on demand. Both daemons get private data-roots and sockets.
 *
 *   node dist/bench/engine.js [--runs 20] [--many 100]      (as root)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { makeBusyboxRootfs } from '../test/helpers/rootfs.js';

const arg = (name: string, def: number) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : def);
const RUNS = arg('--runs', 20);
const MANY = arg('--many', 100);
const DOCKER = existsSync('/usr/local/bin/docker') ? '/usr/local/bin/docker' : 'docker';

interface Daemon { name: string; socket: string; proc: ChildProcess; dir: string }

function api(socket: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> {
  return new Promise((res, rej) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = request({ socketPath: socket, method, path, headers: data ? { 'Content-Type': 'application/json', 'Content-Length': data.length } : {} }, (r) => {
      let b = '';
      r.on('data', (c) => (b += c));
      r.on('end', () => res({ status: r.statusCode ?? 0, body: b }));
    });
    req.on('error', rej);
    req.end(data);
  });
}

async function waitPing(socket: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if ((await api(socket, 'GET', '/_ping')).status === 200) return;
    } catch { /* not yet */ }
    if (Date.now() > end) throw new Error(`no daemon on ${socket}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function docker(d: Daemon, args: string[]) {
  return spawnSync(DOCKER, args, { encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL', env: { ...process.env, DOCKER_HOST: `unix://${d.socket}` } });
}

async function startSkiffd(): Promise<Daemon> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-skiffd-'));
  const socket = join(dir, 'skiff.sock');
  const proc = spawn(process.execPath, [resolve('bin/skiffd'), '--data-root', join(dir, 'data'), '--exec-root', join(dir, 'run'), '-H', `unix://${socket}`, '--bip', '10.238.1.1/24'], {
    stdio: 'ignore', env: { ...process.env, SKIFF_BRIDGE_NAME: 'skbench', SKIFF_NFT_TABLE: 'skiff-bench', SKIFF_CGROUP_PARENT: '/skiff-bench' },
  });
  await waitPing(socket);
  return { name: 'skiffd', socket, proc, dir };
}

async function startDockerd(): Promise<Daemon | undefined> {
  if (spawnSync('which', ['dockerd']).status !== 0) {
    console.error('installing docker.io with apt-get…');
    spawnSync('apt-get', ['install', '-y', '-qq', 'docker.io'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  if (spawnSync('which', ['dockerd']).status !== 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'bench-dockerd-'));
  const socket = join(dir, 'docker.sock');
  // Its own bridge, and no iptables rules (dockerd never removes them): the host stays as it was.
  spawnSync('ip', ['link', 'add', 'skbenchd', 'type', 'bridge']);
  spawnSync('ip', ['addr', 'add', '10.238.2.1/24', 'dev', 'skbenchd']);
  spawnSync('ip', ['link', 'set', 'skbenchd', 'up']);
  const proc = spawn('dockerd', ['--data-root', join(dir, 'data'), '--exec-root', join(dir, 'run'), '-H', `unix://${socket}`, '--pidfile', join(dir, 'dockerd.pid'),
    '--bridge', 'skbenchd', '--iptables=false', '--containerd-namespace', 'bench', '--storage-driver', 'overlay2'], { stdio: 'ignore' });
  await waitPing(socket, 60_000);
  return { name: 'dockerd', socket, proc, dir };
}

function importImage(d: Daemon, tar: string): void {
  const r = docker(d, ['import', '-c', 'CMD ["sh"]', tar, 'busybox:latest']);
  if (r.status !== 0) throw new Error(`${d.name}: import failed: ${r.stderr}`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function apiCycle(d: Daemon, network: string): Promise<number> {
  const times: number[] = [];
  for (let i = -1; i < RUNS; i++) {
    const t0 = performance.now();
    const c = await api(d.socket, 'POST', '/containers/create', { Image: 'busybox', Cmd: ['true'], HostConfig: { NetworkMode: network } });
    const id = JSON.parse(c.body).Id as string;
    await api(d.socket, 'POST', `/containers/${id}/start`);
    await api(d.socket, 'POST', `/containers/${id}/wait`);
    await api(d.socket, 'DELETE', `/containers/${id}`);
    if (i >= 0) times.push(performance.now() - t0);
  }
  return median(times);
}

function cliRun(d: Daemon): number {
  const times: number[] = [];
  for (let i = -1; i < RUNS; i++) {
    const t0 = performance.now();
    const r = docker(d, ['run', '--rm', '--network', 'none', 'busybox', 'true']);
    if (r.status !== 0) throw new Error(`${d.name}: docker run failed: ${r.stderr}`);
    if (i >= 0) times.push(performance.now() - t0);
  }
  return median(times);
}

function rssKiB(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function pidsOf(pattern: string): number[] {
  return spawnSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);
}

async function many(d: Daemon, shimPattern: string): Promise<{ totalMs: number; shimKiB: number; daemonKiB: number; idleKiB: number }> {
  const idleKiB = rssKiB(d.proc.pid!);
  const t0 = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < MANY; i++) {
    const c = await api(d.socket, 'POST', '/containers/create', { Image: 'busybox', Cmd: ['sleep', '1000'], HostConfig: { NetworkMode: 'none' } });
    const id = JSON.parse(c.body).Id as string;
    await api(d.socket, 'POST', `/containers/${id}/start`);
    ids.push(id);
  }
  const totalMs = performance.now() - t0;
  const shims = pidsOf(shimPattern).filter((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(d.dir) || shimPattern.includes('containerd-shim'));
  const shimKiB = shims.length ? median(shims.map(rssKiB)) : 0;
  const daemonKiB = rssKiB(d.proc.pid!);
  for (const id of ids) await api(d.socket, 'DELETE', `/containers/${id}?force=1`);
  return { totalMs, shimKiB, daemonKiB, idleKiB };
}

async function stop(d: Daemon): Promise<void> {
  d.proc.kill('SIGTERM');
  await new Promise((r) => { d.proc.once('exit', r); setTimeout(() => { d.proc.kill('SIGKILL'); r(undefined); }, 20_000); });
  spawnSync('sh', ['-c', `grep ' ${d.dir}' /proc/mounts | awk '{print $2}' | sort -r | xargs -r -n1 umount -l`]);
  rmSync(d.dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'bench-img-'));
  makeBusyboxRootfs(join(work, 'rootfs'));
  const tar = join(work, 'busybox.tar');
  spawnSync('tar', ['-C', join(work, 'rootfs'), '-cf', tar, '.']);
  const daemons: Daemon[] = [await startSkiffd()];
  const dockerd = await startDockerd().catch((e) => { console.log(`dockerd unavailable: ${(e as Error).message}`); return undefined; });
  if (dockerd) daemons.push(dockerd);
  const res: Record<string, Record<string, number>> = {};
  try {
    for (const d of daemons) {
      importImage(d, tar);
      const r: Record<string, number> = {};
      r.apiNone = await apiCycle(d, 'none');
      r.apiBridge = await apiCycle(d, 'bridge');
      r.cli = cliRun(d);
      const m = await many(d, d.name === 'skiffd' ? 'skiff-shim' : 'containerd-shim-runc-v2');
      Object.assign(r, m);
      res[d.name] = r;
      console.log(`${d.name}: API cycle none ${r.apiNone!.toFixed(1)} ms, bridge ${r.apiBridge!.toFixed(1)} ms; docker run --rm ${r.cli!.toFixed(1)} ms; ` +
        `${MANY} starts ${m.totalMs.toFixed(0)} ms; shim RSS ${m.shimKiB} KiB; daemon RSS idle ${m.idleKiB} KiB, with ${MANY} containers ${m.daemonKiB} KiB`);
    }
  } finally {
    for (const d of daemons) await stop(d);
    rmSync(work, { recursive: true, force: true });
    spawnSync('ip', ['link', 'del', 'skbench']);
    spawnSync('ip', ['link', 'del', 'skbenchd']);
    for (const h of spawnSync('ls', ['/sys/fs/cgroup'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)) {
      spawnSync('rmdir', [join('/sys/fs/cgroup', h, 'skiff-bench')]);
    }
    spawnSync('nft', ['delete', 'table', 'ip', 'skiff-bench']);
  }
  const s = res.skiffd, k = res.dockerd;
  if (s && k) {
    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    console.log('\nratios skiffd / dockerd (lower is better):');
    console.log(`  API create+start+wait+remove, --network none: ${ratio(s.apiNone!, k.apiNone!)}`);
    console.log(`  API create+start+wait+remove, bridge:         ${ratio(s.apiBridge!, k.apiBridge!)}`);
    console.log(`  docker run --rm busybox true (stock CLI):     ${ratio(s.cli!, k.cli!)}`);
    console.log(`  ${MANY} containers started sequentially:        ${ratio(s.totalMs!, k.totalMs!)}`);
    console.log(`  shim RSS:                                     ${ratio(s.shimKiB!, k.shimKiB!)} (${s.shimKiB} vs ${k.shimKiB} KiB)`);
    console.log(`  daemon RSS per container:                     ${((s.daemonKiB! - s.idleKiB!) / MANY).toFixed(1)} KiB vs ${((k.daemonKiB! - k.idleKiB!) / MANY).toFixed(1)} KiB`);
  }
}

await main();
