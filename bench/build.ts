/**
 * Classic builds, skiffd vs dockerd's legacy builder, side by side in one run on the same busybox
 * image (one tarball loaded into both):
 *  - cold build (`--no-cache`) of a 10-step Dockerfile with a 10 MiB COPY and a RUN;
 *  - the same build again, every step from the cache;
 *  - a 100 MiB context sent over POST /build (a ready tar, no CLI) and checksummed, the build
 *    itself a cache hit: the context transfer + extract + checksum phase, in MB/s.
 * BuildKit is measured too when `docker buildx` is installed. Medians over --runs.
 *
 *   node dist/bench/build.js [--runs 5]      (as root)
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { cleanup, docker, DOCKER, median, startDockerd, startSkiffd, workspace, type BenchDaemon } from './lib.js';

const arg = (name: string, def: number) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : def);
const RUNS = arg('--runs', 5);
const LEGACY = { DOCKER_BUILDKIT: '0' };
const MiB = 1 << 20;

const TEN_STEPS = [
  'FROM busybox', 'ENV APP=/app', 'WORKDIR /app', 'COPY big.bin /app/big.bin', 'RUN echo built > /app/built && wc -c /app/big.bin',
  'LABEL bench=build', 'ENV MODE=fast', 'EXPOSE 8080', 'USER nobody', 'CMD ["cat", "/app/built"]',
].join('\n');

function timeIt(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** POSTs a context tar to /build and resolves with the elapsed time once the stream ends without error. */
function apiBuild(d: BenchDaemon, tarFile: string): Promise<number> {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const req = request({ socketPath: d.socket, method: 'POST', path: '/v1.41/build?t=ctx100%3A1&rm=1', headers: { 'Content-Type': 'application/x-tar' } }, (r) => {
      let body = '';
      r.on('data', (c: Buffer) => { body += c.toString(); });
      r.on('end', () => (r.statusCode === 200 && !body.includes('"error"') ? res(performance.now() - t0) : rej(new Error(`${d.name}: ${r.statusCode} ${body.slice(-500)}`))));
    });
    req.on('error', rej);
    createReadStream(tarFile).pipe(req);
  });
}

async function main(): Promise<void> {
  const { work, tar } = workspace('bench-build-');
  const small = join(work, 'ctx10');
  mkdirSync(small);
  writeFileSync(join(small, 'Dockerfile'), TEN_STEPS);
  writeFileSync(join(small, 'big.bin'), randomBytes(10 * MiB));
  const large = join(work, 'ctx100');
  mkdirSync(large);
  writeFileSync(join(large, 'Dockerfile'), 'FROM busybox\nCOPY data /data\n');
  mkdirSync(join(large, 'data'));
  for (let i = 0; i < 10; i++) writeFileSync(join(large, 'data', `part${i}.bin`), randomBytes(10 * MiB));
  const largeTar = join(work, 'ctx100.tar');
  spawnSync('tar', ['-C', large, '--numeric-owner', '--owner=0', '--group=0', '-cf', largeTar, '.']);
  const ctxMB = statSync(largeTar).size / 1e6;

  const daemons: BenchDaemon[] = [await startSkiffd(work, 'bld', '10.238.48.1/24')];
  const dockerd = await startDockerd(work, 'bld', '10.238.49.1/24').catch((e) => { console.log(`dockerd unavailable: ${(e as Error).message}`); return undefined; });
  if (dockerd) daemons.push(dockerd);
  const haveBuildx = spawnSync(DOCKER, ['buildx', 'version'], { timeout: 10_000 }).status === 0;
  const res: Record<string, Record<string, number>> = {};
  try {
    docker(daemons[0]!, ['import', '-c', 'CMD ["sh"]', tar, 'busybox:latest']);
    const image = join(work, 'busybox-image.tar');
    docker(daemons[0]!, ['save', '-o', image, 'busybox:latest']);
    if (dockerd) docker(dockerd, ['load', '-i', image]);
    const variants: Array<[string, BenchDaemon, NodeJS.ProcessEnv]> = daemons.map((d) => [d.name, d, LEGACY]);
    if (dockerd && haveBuildx) variants.push(['buildkit', dockerd, { DOCKER_BUILDKIT: '1' }]);
    for (const [name, d, env] of variants) {
      const cold: number[] = [], cached: number[] = [], ctx: number[] = [];
      for (let i = 0; i < RUNS; i++) cold.push(timeIt(() => docker(d, ['build', '-q', '--no-cache', '-t', `ten-${name}:1`, small], env)));
      for (let i = 0; i < RUNS; i++) cached.push(timeIt(() => docker(d, ['build', '-q', '-t', `ten-${name}:1`, small], env)));
      if (name !== 'buildkit') {
        await apiBuild(d, largeTar); // fills the cache: later runs are context + checksum + lookup
        for (let i = 0; i < RUNS; i++) ctx.push(await apiBuild(d, largeTar));
      }
      const r: Record<string, number> = { cold: median(cold), cached: median(cached) };
      if (ctx.length) r.ctxMBs = ctxMB / (median(ctx) / 1000);
      res[name] = r;
      console.log(`${name}: cold 10-step build ${r.cold!.toFixed(0)} ms; fully cached rebuild ${r.cached!.toFixed(0)} ms` +
        (r.ctxMBs ? `; ${ctxMB.toFixed(0)} MB context sent + checksummed ${median(ctx).toFixed(0)} ms = ${r.ctxMBs.toFixed(0)} MB/s` : ''));
    }
    if (!haveBuildx) console.log('docker buildx is not installed: BuildKit not measured');
  } finally {
    await cleanup(daemons, work, 'bld');
  }
  const s = res.skiffd, k = res.dockerd;
  if (s && k) {
    console.log('\nratios skiffd / dockerd legacy builder:');
    console.log(`  cold 10-step build with a 10 MiB COPY: ${(s.cold! / k.cold!).toFixed(2)} (target ≤ 1)`);
    console.log(`  fully cached rebuild:                  ${(s.cached! / k.cached!).toFixed(2)} (target ≤ 0.5)`);
    console.log(`  100 MiB context throughput:            ${(s.ctxMBs! / k.ctxMBs!).toFixed(2)}x (skiffd ${s.ctxMBs!.toFixed(0)} MB/s, target ≥ 200)`);
  }
  if (s && res.buildkit) console.log(`  vs BuildKit: cold ${(s.cold! / res.buildkit.cold!).toFixed(2)}, cached ${(s.cached! / res.buildkit.cached!).toFixed(2)}`);
}

await main();
