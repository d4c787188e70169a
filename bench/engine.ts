/**
 * skiffd vs dockerd, side by side in one run, on the same busybox image:
 *  - create+start+wait+remove through the Engine API (no CLI), --network none and bridge;
 *  - `docker run --rm busybox true` with the stock CLI against each daemon;
 *  - 100 containers started one after the other (detached, then removed);
 *  - per-container overhead: shim RSS (skiff-shim vs containerd-shim-runc-v2) and daemon RSS, each
 *    daemon measured idle (12 s without requests) before and after starting the containers.
 * Installs Debian's docker.io on demand. Both daemons get private data-roots and sockets.
 *
 *   node dist/bench/engine.js [--runs 20] [--many 100]      (as root)
 */
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { api, cleanup, docker, median, startDockerd, startSkiffd, workspace, type BenchDaemon } from './lib.js';

const arg = (name: string, def: number) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : def);
const RUNS = arg('--runs', 20);
const MANY = arg('--many', 100);
type Daemon = BenchDaemon;

function importImage(d: Daemon, tar: string): void {
  docker(d, ['import', '-c', 'CMD ["sh"]', tar, 'busybox:latest']);
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
    docker(d, ['run', '--rm', '--network', 'none', 'busybox', 'true']);
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

/**
 * A daemon's resident memory once it is idle: after `settleMs` without requests, so what the last
 * requests left for the garbage collector (both runtimes collect lazily) is not counted as held.
 */
async function settledRss(pid: number, settleMs = 12_000): Promise<number> {
  await new Promise((r) => setTimeout(r, settleMs));
  return rssKiB(pid);
}

async function many(d: Daemon, shimPattern: string): Promise<{ totalMs: number; shimKiB: number; daemonKiB: number; idleKiB: number }> {
  const idleKiB = await settledRss(d.proc.pid!);
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
  const daemonKiB = await settledRss(d.proc.pid!);
  for (const id of ids) await api(d.socket, 'DELETE', `/containers/${id}?force=1`);
  return { totalMs, shimKiB, daemonKiB, idleKiB };
}

async function main(): Promise<void> {
  const { work, tar } = workspace('bench-engine-');
  const daemons: Daemon[] = [await startSkiffd(work, 'bench', '10.238.1.1/24')];
  const dockerd = await startDockerd(work, 'bench', '10.238.2.1/24').catch((e) => { console.log(`dockerd unavailable: ${(e as Error).message}`); return undefined; });
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
    await cleanup(daemons, work, 'bench');
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
