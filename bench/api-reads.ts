/**
 * Hot API reads, skiffd vs dockerd side by side: `GET /containers/json` requests per second with
 * 100 containers (8 concurrent clients, 5 s), and reading the logs of a container that printed
 * 1,000,000 lines (`GET /containers/{id}/logs?stdout=1`, whole body).
 *
 *   node dist/bench/api-reads.js      (as root; installs docker.io with apt if missing)
 */
import { Agent } from 'node:http';
import { api, cleanup, docker, startDockerd, startSkiffd, workspace, type BenchDaemon } from './lib.js';

async function rps(d: BenchDaemon): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const end = Date.now() + 5000;
  let n = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (Date.now() < end) {
      const r = await api(d.socket, 'GET', '/v1.41/containers/json', undefined, agent);
      if (r.status !== 200) throw new Error(`${d.name}: ${r.status}`);
      n++;
    }
  }));
  agent.destroy();
  return n / 5;
}

async function main(): Promise<void> {
  const { work, tar } = workspace('bench-reads-');
  const daemons: BenchDaemon[] = [];
  try {
    daemons.push(await startSkiffd(work, 'benchr', '10.238.9.1/24'));
    const k = await startDockerd(work, 'benchr', '10.238.10.1/24');
    if (k) daemons.push(k);
    const res: Record<string, { rps: number; logsMs: number }> = {};
    for (const d of daemons) {
      docker(d, ['import', tar, 'busybox:latest']);
      for (let i = 0; i < 100; i++) docker(d, ['run', '-d', '--network', 'none', 'busybox', 'sleep', '1000']);
      const r = await rps(d);
      const id = docker(d, ['run', '-d', '--network', 'none', 'busybox', 'seq', '1', '1000000']).trim();
      docker(d, ['wait', id]);
      const t0 = performance.now();
      const body = await api(d.socket, 'GET', `/v1.41/containers/${id}/logs?stdout=1`);
      const logsMs = performance.now() - t0;
      if (body.bytes < 6_888_896) throw new Error(`${d.name}: short logs (${body.bytes} bytes)`);
      res[d.name] = { rps: r, logsMs };
      console.log(`${d.name}: GET /containers/json with 100 containers ${r.toFixed(0)} req/s; logs of 1,000,000 lines ${logsMs.toFixed(0)} ms (${body.bytes} bytes)`);
      docker(d, ['rm', '-f', ...docker(d, ['ps', '-aq']).split('\n').filter(Boolean)]);
    }
    if (res.skiffd && res.dockerd) {
      console.log(`\nratios skiffd / dockerd: /containers/json req/s ${(res.skiffd.rps / res.dockerd.rps).toFixed(2)} (higher is better); ` +
        `logs speed ${(res.dockerd.logsMs / res.skiffd.logsMs).toFixed(2)}× (higher is better)`);
    }
  } finally {
    await cleanup(daemons, work, 'benchr');
  }
}

await main();
