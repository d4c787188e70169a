/**
 * Shared pieces of the CLI tests: a skiffd with a busybox image imported through skiff's own
 * client, bounded runs of `bin/skiff` and the stock docker CLI against it (private DOCKER_CONFIG
 * each), and masking of ids, times and the program name so outputs can be compared.
 */
import { spawnSync } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, parseHost, readAll } from '../../../src/client/index.js';
import { privatePool } from '../../helpers/cli-pool.js';
import { startDaemon, type TestDaemon } from '../../helpers/daemon.js';
import { makeBusyboxRootfs, removeDir, tempDir } from '../../helpers/rootfs.js';

export const DOCKER = '/usr/local/bin/docker';
export const SKIFF = resolve('bin/skiff');
export const dockerSkip = existsSync(DOCKER) ? false : `${DOCKER} is not installed`;

export interface Result { status: number | null; stdout: string; stderr: string }

export interface Env {
  d: TestDaemon;
  skiff(args: string[], env?: NodeJS.ProcessEnv): Result;
  docker(args: string[], env?: NodeJS.ProcessEnv): Result;
  close(): Promise<void>;
}

function runBounded(cmd: string, args: string[], env: NodeJS.ProcessEnv): Result {
  // docker run forwards SIGTERM to the container, so only SIGKILL reliably ends a stuck run.
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL', env, input: '' });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

export async function importBusybox(host: string): Promise<void> {
  const root = tempDir('skiff-cli-bb-');
  try {
    makeBusyboxRootfs(root);
    const tar = execFileSync('tar', ['-C', root, '-c', '.'], { maxBuffer: 1 << 28 });
    const client = new Client(parseHost(host));
    try {
      const res = await client.request('POST', '/images/create', {
        query: { fromSrc: '-', repo: 'busybox', tag: 'latest', changes: 'CMD ["sh"]' },
        body: tar, headers: { 'Content-Type': 'application/x-tar' },
      });
      const text = await readAll(res);
      if (text.includes('"error"')) throw new Error(text);
    } finally {
      client.close();
    }
  } finally {
    removeDir(root);
  }
}

export async function setup(): Promise<Env> {
  const d = await startDaemon();
  const cfgDir = mkdtempSync(join(tmpdir(), 'skiff-cli-cfg-'));
  // skiff runs as users run it: bin/skiff, and each command waits (a little) for an idle process
  // of the CLI's warm pool (a private one), so these scenarios check commands served warm; the
  // first starts cold, as do the tests in launcher.test.ts.
  const pool = privatePool();
  const base = (extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: d.host, DOCKER_CONFIG: cfgDir, TZ: 'UTC', ...pool.env, ...extra };
    delete env['DOCKER_CONTEXT'];
    delete env['DOCKER_API_VERSION'];
    delete env['DOCKER_TLS_VERIFY'];
    return env;
  };
  try {
    await importBusybox(d.host);
  } catch (e) {
    await d.stop();
    throw e;
  }
  return {
    d,
    skiff: (args, env) => {
      pool.waitIdleSync(3000);
      return runBounded(SKIFF, args, base(env));
    },
    docker: (args, env) => runBounded(DOCKER, args, base(env)),
    async close() {
      const ids = runBounded(SKIFF, ['ps', '-aq'], base()).stdout.split('\n').filter(Boolean);
      if (ids.length) runBounded(SKIFF, ['rm', '-f', ...ids], base());
      await pool.stop();
      rmSync(cfgDir, { recursive: true, force: true });
      await d.stop();
    },
  };
}

/** Hides what legitimately differs between two runs: ids, relative times, program names. */
export function mask(s: string): string {
  return s
    .replace(/\b[0-9a-f]{64}\b/g, '<ID64>')
    .replace(/\b[0-9a-f]{12}\b/g, '<ID12>')
    .replace(/(Less than a second|About a minute|About an hour|\d+ (seconds?|minutes?|hours?|days?))/g, '<TIME>')
    .replace(/\bdocker\b/g, 'skiff');
}

/** Collapses the column padding too, for tables whose widths depend on masked cells. */
export function maskTable(s: string): string {
  return mask(s).replace(/ {2,}/g, '  ').replace(/ +$/gm, '');
}
