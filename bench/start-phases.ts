/**
 * Where skiffd's time goes in one create+start+wait+remove cycle: the client-side time of each
 * request, medians over --runs cycles (skiffd only; engine.ts compares with dockerd).
 *
 *   node dist/bench/start-phases.js [--runs 30] [--network none]     (as root)
 */
import { api, cleanup, docker, median, startSkiffd, workspace } from './lib.js';

const arg = (name: string, def: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1]! : def);
const RUNS = Number(arg('--runs', '30'));
const NETWORK = arg('--network', 'none');

const { work, tar } = workspace('skiff-phases-');
const d = await startSkiffd(work, 'ph', '10.231.0.1/24');
try {
  docker(d, ['import', '-c', 'CMD ["sh"]', tar, 'busybox:latest']);
  const phases: Record<string, number[]> = { create: [], start: [], wait: [], remove: [], total: [] };
  for (let i = -2; i < RUNS; i++) {
    const t: number[] = [performance.now()];
    const c = await api(d.socket, 'POST', '/containers/create', { Image: 'busybox', Cmd: ['true'], HostConfig: { NetworkMode: NETWORK } });
    t.push(performance.now());
    const id = JSON.parse(c.body).Id as string;
    await api(d.socket, 'POST', `/containers/${id}/start`);
    t.push(performance.now());
    await api(d.socket, 'POST', `/containers/${id}/wait`);
    t.push(performance.now());
    await api(d.socket, 'DELETE', `/containers/${id}`);
    t.push(performance.now());
    if (i < 0) continue;
    ['create', 'start', 'wait', 'remove'].forEach((k, j) => phases[k]!.push(t[j + 1]! - t[j]!));
    phases['total']!.push(t[4]! - t[0]!);
  }
  console.log(Object.entries(phases).map(([k, v]) => `${k} ${median(v).toFixed(1)} ms`).join(', '));
} finally {
  await cleanup([d], work, 'ph');
}
