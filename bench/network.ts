/**
 * Networking, skiffd vs dockerd side by side: 50 containers started on one user-defined bridge
 * network, and TCP throughput through a port published on 127.0.0.1 (skiff's userland proxy vs
 * docker-proxy): 1 GiB into `nc -l` in a container, which counts what it received, three rounds
 * alternating between the daemons (median). The network's share of a container start comes
 * from bench/engine.ts (bridge minus none).
 *
 *   node dist/bench/network.js      (as root; installs docker.io with apt if missing)
 */
import { connect } from 'node:net';
import { cleanup, docker, median, startDockerd, startSkiffd, workspace, type BenchDaemon } from './lib.js';

const COUNT = 50;
const BYTES = 1024 << 20;
const ROUNDS = 3;

/** Sends BYTES to 127.0.0.1:port and resolves when the connection is closed. */
function send(port: number): Promise<void> {
  return new Promise((res, rej) => {
    const chunk = Buffer.alloc(1 << 20, 7);
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
    s.on('close', () => res());
    s.on('error', rej);
    s.resume();
  });
}

async function measureStarts(d: BenchDaemon, subnet: string): Promise<number> {
  docker(d, ['network', 'create', '--subnet', subnet, 'benchnet']);
  const t0 = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < COUNT; i++) ids.push(docker(d, ['run', '-d', '--network', 'benchnet', 'busybox', 'sleep', '1000']).trim());
  const startMs = performance.now() - t0;
  docker(d, ['rm', '-f', ...ids]);
  docker(d, ['network', 'rm', 'benchnet']);
  return startMs;
}

async function measureThroughput(d: BenchDaemon): Promise<number> {
  // -i keeps the container's stdin open, so nc ends when the sender closes, not at stdin's EOF.
  const sink = docker(d, ['run', '-d', '-i', '-p', '127.0.0.1::80', 'busybox', 'sh', '-c', 'nc -l -p 80 | wc -c']).trim();
  const port = Number(/:(\d+)\s*$/.exec(docker(d, ['port', sink, '80']).trim())![1]);
  await new Promise((r) => setTimeout(r, 500));
  const t1 = performance.now();
  await send(port);
  docker(d, ['wait', sink]);
  const ms = performance.now() - t1;
  const received = Number(docker(d, ['logs', sink]).trim());
  if (received !== BYTES) throw new Error(`${d.name}: the sink received ${received} of ${BYTES} bytes`);
  docker(d, ['rm', '-f', sink]);
  return BYTES / (1 << 20) / (ms / 1000);
}

async function main(): Promise<void> {
  const { work, tar } = workspace('bench-net-');
  const daemons: BenchDaemon[] = [];
  try {
    daemons.push(await startSkiffd(work, 'benchn', '10.238.5.1/24'));
    const k = await startDockerd(work, 'benchn', '10.238.6.1/24');
    if (k) daemons.push(k);
    const starts: Record<string, number> = {};
    const rates: Record<string, number[]> = {};
    for (const [d, subnet] of daemons.map((x, i) => [x, `10.238.${7 + i}.0/24`] as const)) {
      docker(d, ['import', tar, 'busybox:latest']);
      starts[d.name] = await measureStarts(d, subnet);
      console.log(`${d.name}: ${COUNT} containers on one network ${starts[d.name]!.toFixed(0)} ms`);
    }
    // Throughput rounds alternate between the daemons, so load from elsewhere falls on both.
    for (let round = 0; round < ROUNDS; round++) {
      for (const d of daemons) (rates[d.name] ??= []).push(await measureThroughput(d));
    }
    for (const d of daemons) {
      console.log(`${d.name}: published-port TCP ${rates[d.name]!.map((x) => x.toFixed(0)).join(', ')} MiB/s (median ${median(rates[d.name]!).toFixed(0)})`);
    }
    if (starts.skiffd && starts.dockerd) {
      console.log(`\nratios skiffd / dockerd: ${COUNT} starts ${(starts.skiffd / starts.dockerd).toFixed(2)} (lower is better); ` +
        `throughput ${(median(rates.skiffd!) / median(rates.dockerd!)).toFixed(2)} (higher is better)`);
    }
  } finally {
    await cleanup(daemons, work, 'benchn');
  }
}

await main();
