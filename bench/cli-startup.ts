/**
 * CLI start-up: `skiff version --format '{{.Client.Version}}'` against `docker version --format
 * '{{.Client.Version}}'`, median of N runs each (default 20), interleaved so both see the same
 * machine load. The client version needs no daemon, so this measures start-up alone.
 *
 *   node dist/bench/cli-startup.js [runs]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const runs = Number(process.argv[2] ?? 20);
const DOCKER = '/usr/local/bin/docker';
const args = ['version', '--format', '{{.Client.Version}}'];
const env = { ...process.env, DOCKER_HOST: 'unix:///nonexistent.sock' };

function time(cmd: string, argv: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { env, timeout: 30_000, killSignal: 'SIGKILL', encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.stdout.trim() === '') throw new Error(`${cmd} printed nothing: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const skiff: number[] = [];
const docker: number[] = [];
const bare: number[] = [];
for (let i = 0; i < runs; i++) {
  skiff.push(time(process.execPath, [resolve('bin/skiff'), ...args]));
  // The floor: Node starting and printing one line, no CLI code at all.
  bare.push(time(process.execPath, ['-e', 'console.log(1)']));
  if (existsSync(DOCKER)) docker.push(time(DOCKER, args));
}
console.log(`skiff  median ${median(skiff).toFixed(1)} ms (n=${runs})`);
console.log(`node   median ${median(bare).toFixed(1)} ms (bare \`node -e\`, the floor for any Node CLI)`);
if (docker.length) {
  console.log(`docker median ${median(docker).toFixed(1)} ms (n=${runs})`);
  console.log(`ratio  ${(median(skiff) / median(docker)).toFixed(2)}x`);
} else console.log(`docker: ${DOCKER} not installed`);
