/**
 * CLI start-up, skiff against the stock docker CLI, both run as a user runs them (bin/skiff is
 * executed directly: its shell half, skiff-launch, then an idle process of the CLI's warm pool
 * or a cold `node` start):
 *   - `version --format '{{.Client.Version}}'` (the daemon is not reached: a socket that does
 *     not exist, so this is start-up, flag parsing and one failed connect);
 *   - `ps` against one skiffd this benchmark starts, with 20 running containers.
 * Median of N runs each (default 21), interleaved so both CLIs see the same machine load:
 *   - warm: as typed at a prompt, the pool has an idle process (the benchmark waits for the one
 *     the previous command started, and docker's runs wait the same way, so no refill runs
 *     during any timed run);
 *   - cold: SKIFF_CLI_WARM=0, every command starts Node (`node -e 0` is the floor for that);
 *   - burst: N commands back to back with no pause (a script), the pool refilling behind them.
 * Also the memory an idle pool process holds. The pool is a private one (its own
 * XDG_RUNTIME_DIR), stopped at the end.
 *
 *   node dist/bench/cli-startup.js [runs]        (as root, after `npm run build`)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { privatePool, type PrivatePool } from '../test/helpers/cli-pool.js';
import { cleanup, DOCKER, docker, median, startSkiffd, workspace, type BenchDaemon } from './lib.js';

const runs = Number(process.argv[2] ?? 21);
const SKIFF = resolve('bin/skiff');
const TAG = 'benchc';

function time(cmd: string, argv: string[], env: NodeJS.ProcessEnv, expect: RegExp): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { env, timeout: 30_000, killSignal: 'SIGKILL', encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (!expect.test(r.stdout)) throw new Error(`${cmd} ${argv.join(' ')}: unexpected output ${JSON.stringify(r.stdout.slice(0, 200))}: ${r.stderr}`);
  return ms;
}

/** Fails loudly rather than timing the slow fallback the launcher takes after a bare `tsc`. */
function checkBundle(): void {
  const mtime = (p: string): number => statSync(resolve(p)).mtimeMs;
  if (mtime('dist/cli/skiff-main.cjs') < mtime('dist/src/cli/main.js')) {
    throw new Error('dist/cli is older than dist/src (tsc ran after the bundle, so bin/skiff runs the unbundled fallback): run `npm run build` (or node scripts/bundle-cli.mjs) and measure again');
  }
}

interface Case { name: string; args: string[]; host: string; expect: RegExp }

const settle = (): void => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30); };

/** Until the pool has an idle process again (the previous command's refill is done). */
function ready(pool: PrivatePool): void {
  if (!pool.waitIdleSync(10_000)) throw new Error('the CLI pool has no idle process after 10 s');
  settle();
}

const fmt = (ms: number): string => `${ms.toFixed(1).padStart(6)} ms`;

function measure(cases: Case[], pool: PrivatePool, base: NodeJS.ProcessEnv): void {
  for (const c of cases) {
    const env = { ...base, ...pool.env, DOCKER_HOST: c.host };
    const coldEnv = { ...env, SKIFF_CLI_WARM: '0' };
    const [warm, cold, dock, bare]: number[][] = [[], [], [], []];
    time(SKIFF, c.args, env, c.expect);
    for (let i = 0; i < runs; i++) {
      ready(pool);
      warm.push(time(SKIFF, c.args, env, c.expect));
      ready(pool);
      dock.push(time(DOCKER, c.args, env, c.expect));
      cold.push(time(SKIFF, c.args, coldEnv, c.expect));
      bare.push(time(process.execPath, ['-e', '0'], env, /^$/));
    }
    const d = median(dock);
    console.log(`  ${c.name.padEnd(8)} docker ${fmt(d)}   skiff warm ${fmt(median(warm))} = ${(median(warm) / d).toFixed(2)}x   ` +
      `cold ${fmt(median(cold))} = ${(median(cold) / d).toFixed(2)}x   (node -e 0 ${fmt(median(bare))} = ${(median(bare) / d).toFixed(2)}x)`);
    // Back to back: the whole burst's time, per command.
    ready(pool);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < runs; i++) time(SKIFF, c.args, env, c.expect);
    const burstSkiff = Number(process.hrtime.bigint() - t0) / 1e6 / runs;
    ready(pool);
    const t1 = process.hrtime.bigint();
    for (let i = 0; i < runs; i++) time(DOCKER, c.args, env, c.expect);
    const burstDocker = Number(process.hrtime.bigint() - t1) / 1e6 / runs;
    console.log(`  ${''.padEnd(8)} burst of ${runs}: docker ${fmt(burstDocker)}/command   skiff ${fmt(burstSkiff)}/command = ${(burstSkiff / burstDocker).toFixed(2)}x`);
  }
}

/** RSS of each idle pool process, and how much of it is its own (anonymous) memory. */
function idleRss(pool: PrivatePool): string {
  ready(pool);
  const mib = (status: string, key: string): string => (Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) / 1024).toFixed(1);
  return pool.idle().map((pid) => {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return `${mib(status, 'VmRSS')} MiB (${mib(status, 'RssAnon')} MiB anonymous, the rest file pages of the node binary)`;
  }).join(', ');
}

async function main(): Promise<void> {
  checkBundle();
  const { work, tar } = workspace('bench-cli-');
  const daemons: BenchDaemon[] = [];
  try {
    const d = await startSkiffd(work, TAG, '10.238.16.1/24');
    daemons.push(d);
    docker(d, ['import', tar, 'busybox:latest']);
    for (let i = 0; i < 20; i++) docker(d, ['run', '-d', '--network', 'none', 'busybox', 'sleep', '1000']);
    const rows = docker(d, ['ps', '-q']).split('\n').filter(Boolean).length;
    if (rows !== 20) throw new Error(`expected 20 running containers, docker ps shows ${rows}`);
    const cases: Case[] = [
      { name: 'version', args: ['version', '--format', '{{.Client.Version}}'], host: 'unix:///nonexistent/skiff-bench.sock', expect: /^\d+\.\d+/ },
      // 20 rows under the header.
      { name: 'ps', args: ['ps'], host: `unix://${d.socket}`, expect: /^CONTAINER ID(.*\n){21}$/ },
    ];
    const pool = privatePool();
    try {
      console.log(`environment as is (NODE_EXTRA_CA_CERTS ${process.env['NODE_EXTRA_CA_CERTS'] ? 'set' : 'unset'}):`);
      measure(cases, pool, { ...process.env });
      console.log(`  an idle pool process holds ${idleRss(pool)} of RSS`);
    } finally {
      const killed = await pool.stop();
      console.log(`  (pool stopped: ${killed} process${killed === 1 ? '' : 'es'})`);
    }
    // A tsc run during the measurement (someone sharing the checkout) would have timed the fallback.
    checkBundle();
    console.log(`\nn=${runs} runs each; target (issue 5): skiff median <= 2x docker's`);
  } finally {
    if (daemons[0]) spawnSync(DOCKER, ['rm', '-f', ...docker(daemons[0], ['ps', '-aq']).split('\n').filter(Boolean)], { env: { ...process.env, DOCKER_HOST: `unix://${daemons[0].socket}` }, timeout: 120_000, killSignal: 'SIGKILL' });
    await cleanup(daemons, work, TAG);
  }
}

await main();
