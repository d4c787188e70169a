/**
 * CLI start-up, skiff against the stock docker CLI, both run as a user runs them (bin/skiff is
 * executed directly, its shell launcher included):
 *   - `version --format '{{.Client.Version}}'` (the daemon is not reached: a socket that does
 *     not exist, so this is start-up, flag parsing and one failed connect);
 *   - `ps` against one skiffd this benchmark starts, with 20 running containers.
 * Median of N runs each (default 21), interleaved so both CLIs see the same machine load, once
 * with the environment as it is and once with NODE_EXTRA_CA_CERTS unset (Node loads that CA
 * file at start-up, which bin/skiff avoids). `node -e 0` is the floor for any Node CLI.
 *
 *   node dist/bench/cli-startup.js [runs]        (as root, after `npm run build`)
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
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

function measure(cases: Case[], envName: string, base: NodeJS.ProcessEnv): void {
  console.log(`\n${envName}:`);
  for (const c of cases) {
    const env = { ...base, DOCKER_HOST: c.host };
    const skiff: number[] = [];
    const dock: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < runs; i++) {
      skiff.push(time(SKIFF, c.args, env, c.expect));
      dock.push(time(DOCKER, c.args, env, c.expect));
      bare.push(time(process.execPath, ['-e', 'console.log(1)'], env, /1/));
    }
    const [s, d, b] = [median(skiff), median(dock), median(bare)];
    console.log(`  ${c.name.padEnd(8)} skiff ${s.toFixed(1).padStart(6)} ms   docker ${d.toFixed(1).padStart(6)} ms   ` +
      `ratio ${(s / d).toFixed(2)}x   (node -e: ${b.toFixed(1)} ms, ${(b / d).toFixed(2)}x docker)`);
  }
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
    const asIs = { ...process.env };
    measure(cases, `environment as is (NODE_EXTRA_CA_CERTS ${asIs['NODE_EXTRA_CA_CERTS'] ? `= ${asIs['NODE_EXTRA_CA_CERTS']}` : 'unset'})`, asIs);
    const clean = { ...process.env };
    delete clean['NODE_EXTRA_CA_CERTS'];
    measure(cases, 'NODE_EXTRA_CA_CERTS unset', clean);
    // A tsc run during the measurement (someone sharing the checkout) would have timed the fallback.
    checkBundle();
    console.log(`\nn=${runs} runs each; target (issue 5): skiff median <= 2x docker's`);
  } finally {
    if (daemons[0]) spawnSync(DOCKER, ['rm', '-f', ...docker(daemons[0], ['ps', '-aq']).split('\n').filter(Boolean)], { env: { ...process.env, DOCKER_HOST: `unix://${daemons[0].socket}` }, timeout: 120_000, killSignal: 'SIGKILL' });
    await cleanup(daemons, work, TAG);
  }
}

await main();
