/**
 * What skiffd holds per idle container, measured exactly: V8 heap snapshots of the daemon before
 * and after starting N containers (detached `sleep`, --network none, through the stock docker
 * CLI), summed by node type. Compiled code is left out (it grows with the code paths warmed up,
 * not with the containers). RSS deltas, which engine.ts reports for both daemons, swing by
 * megabytes with garbage-collection timing; this is the figure to hold against the ≤ 15 KiB goal.
 *
 *   node dist/bench/daemon-memory.js [--containers 100]      (as root)
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { api, cleanup, docker, waitUp, workspace, type BenchDaemon } from './lib.js';

const arg = (name: string, def: number) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : def);
const N = arg('--containers', 100);

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
}

/** Self sizes summed per node type. */
function sizesByType(file: string): Map<string, number> {
  const h = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = h.snapshot.meta.node_fields;
  const types = h.snapshot.meta.node_types[0];
  const ti = fields.indexOf('type');
  const si = fields.indexOf('self_size');
  const out = new Map<string, number>();
  for (let i = 0; i < h.nodes.length; i += fields.length) {
    const t = types[h.nodes[i + ti]!]!;
    out.set(t, (out.get(t) ?? 0) + h.nodes[i + si]!);
  }
  return out;
}

async function snapshot(d: BenchDaemon, dir: string): Promise<string> {
  const before = new Set(readdirSync(dir));
  d.proc.kill('SIGUSR2');
  for (let i = 0; i < 600; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const fresh = readdirSync(dir).filter((f) => !before.has(f) && f.endsWith('.heapsnapshot'));
    // The file is complete once its size stops changing.
    if (fresh.length) {
      const f = join(dir, fresh[0]!);
      const s1 = readFileSync(f).length;
      await new Promise((r) => setTimeout(r, 500));
      if (readFileSync(f).length === s1 && s1 > 0) return f;
    }
  }
  throw new Error('no heap snapshot written');
}

const { work, tar } = workspace('bench-mem-');
const dir = join(work, 'skiffd');
const snaps = join(work, 'snaps');
mkdirSync(snaps, { recursive: true });
const socket = join(dir, 's.sock');
// The node flags of bin/skiffd's shebang, plus the snapshot signal.
const proc = spawn(process.execPath, ['--max-semi-space-size=1', '--heapsnapshot-signal=SIGUSR2', resolve('bin/skiffd'),
  '--data-root', join(dir, 'data'), '--exec-root', join(dir, 'run'), '-H', `unix://${socket}`, '--bip', '10.238.9.1/24'], {
  cwd: snaps, stdio: 'ignore',
  env: { ...process.env, SKIFF_BRIDGE_NAME: 'skmem', SKIFF_NFT_TABLE: 'skiff-mem', SKIFF_CGROUP_PARENT: '/skiff-mem' },
});
const d: BenchDaemon = { name: 'skiffd', socket, proc, dir };
try {
  await waitUp(socket);
  docker(d, ['import', '-c', 'CMD ["sh"]', tar, 'busybox:latest']);
  // Warm the start path once, so its first-use allocations are not counted per container.
  for (let i = 0; i < 3; i++) docker(d, ['run', '--rm', '--network', 'none', 'busybox', 'true']);
  const a = sizesByType(await snapshot(d, snaps));
  for (let i = 0; i < N; i++) docker(d, ['run', '-d', '--network', 'none', 'busybox', 'sleep', '1000']);
  const b = sizesByType(await snapshot(d, snaps));
  let total = 0;
  for (const [t, size] of b) {
    const delta = size - (a.get(t) ?? 0);
    if (t === 'code' || t === 'synthetic') continue;
    total += delta;
    console.log(`  ${t.padEnd(20)} ${(delta / 1024).toFixed(1).padStart(9)} KiB`);
  }
  console.log(`skiffd JS heap per idle container (${N} containers, compiled code excluded): ${(total / 1024 / N).toFixed(1)} KiB`);
  const ids = JSON.parse((await api(socket, 'GET', '/containers/json?all=1')).body) as { Id: string }[];
  for (const c of ids) await api(socket, 'DELETE', `/containers/${c.Id}?force=1`);
} finally {
  await cleanup([d], work, 'mem');
}
