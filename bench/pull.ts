/**
 * Image pull and push, skiffd vs dockerd side by side, from a Debian docker-registry on 127.0.0.1:
 * a 256 MiB single-layer image and a 10-layer image (10 × 16 MiB). Images are made locally from
 * random data (no Docker Hub), pushed once through skiffd, then each daemon pulls them (median of
 * N pulls, the local copy removed in between) and pushes them to a fresh repository.
 *
 *   node dist/bench/pull.js [--runs 3]      (as root; installs docker.io with apt if missing)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startRegistry } from '../test/integration/registry/fixtures.js';
import { DOCKER, cleanup, docker, median, startDockerd, startSkiffd, workspace, type BenchDaemon } from './lib.js';

const RUNS = process.argv.includes('--runs') ? Number(process.argv[process.argv.indexOf('--runs') + 1]) : 3;
type Daemon = BenchDaemon;

function timed(f: () => void): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}

/** A one-layer image of 256 MiB (import) and a ten-layer one (a classic build of ten COPYs). */
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
  const { work } = workspace('bench-pull-');
  const daemons: Daemon[] = [];
  try {
    const s = await startSkiffd(work, 'benchp', '10.238.3.1/24');
    daemons.push(s);
    const imgs = buildImages(s, work, host);
    docker(s, ['push', imgs.single]);
    docker(s, ['push', imgs.multi]);
    const k = await startDockerd(work, 'benchp', '10.238.4.1/24');
    if (k) daemons.push(k);
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
    const a = res.skiffd, b = res.dockerd;
    if (a && b) {
      console.log('\nratios skiffd / dockerd (lower is better):');
      for (const key of Object.keys(a)) console.log(`  ${key.padEnd(12)} ${(a[key]! / b[key]!).toFixed(2)}`);
    }
  } finally {
    await cleanup(daemons, work, 'benchp');
    await reg.stop();
  }
}

await main();
