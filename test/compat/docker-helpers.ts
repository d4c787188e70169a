/**
 * Drives the stock docker CLI against a test skiffd. Every call is bounded and killed with
 * SIGKILL: `docker run` forwards SIGTERM to the container, so a polite timeout could hang.
 */
import { before, after } from 'node:test';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { makeBusyboxRootfs } from '../helpers/rootfs.js';

export const DOCKER = '/usr/local/bin/docker';
export const HAVE_DOCKER = existsSync(DOCKER);

export function dockerFor(host: string, configDir: string) {
  return (args: string[], opts: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> =>
    spawnSync(DOCKER, args, {
      encoding: 'utf8',
      input: opts.input ?? '',
      timeout: opts.timeoutMs ?? 30_000,
      killSignal: 'SIGKILL',
      env: { PATH: process.env.PATH, HOME: configDir, DOCKER_CONFIG: configDir, DOCKER_HOST: host, ...opts.env },
    });
}

/** Imports a busybox rootfs as `busybox:latest` through `docker import`. */
export function importBusybox(docker: ReturnType<typeof dockerFor>): void {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bb-'));
  try {
    makeBusyboxRootfs(join(dir, 'rootfs'));
    const tar = join(dir, 'rootfs.tar');
    const t = spawnSync('tar', ['-C', join(dir, 'rootfs'), '-cf', tar, '.']);
    if (t.status !== 0) throw new Error('tar failed');
    const r = docker(['import', '-c', 'CMD ["sh"]', tar, 'busybox:latest']);
    if (r.status !== 0) throw new Error(`docker import failed: ${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function waitUntil(check: () => boolean, ms = 15_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export type Docker = ReturnType<typeof dockerFor>;

export interface CompatFixture {
  /** Why the file's tests are skipped (the docker CLI is absent), or false. */
  readonly skip: string | false;
  readonly d: TestDaemon;
  readonly docker: Docker;
  /** The docker CLI's private config dir (HOME and DOCKER_CONFIG). */
  readonly cfg: string;
}

/**
 * The fixture of a docker-CLI test file: before its tests a skiffd, a private docker config dir
 * and busybox imported; after them every container removed, `cleanup` run, the daemon stopped
 * and the config dir gone. Where the docker CLI is absent, `skip` says so (printed once).
 */
export function compatFixture(what: string, cleanup?: (docker: Docker) => void | Promise<void>): CompatFixture {
  const skip = HAVE_DOCKER ? false : `the stock docker CLI (${DOCKER}) is not installed`;
  if (skip) console.log(`# skipping ${what}: ${skip}`);
  let d: TestDaemon | undefined;
  let docker: Docker | undefined;
  let cfg = '';
  before(async () => {
    if (skip) return;
    d = await startDaemon();
    cfg = mkdtempSync(join(tmpdir(), 'skiff-dockercfg-'));
    docker = dockerFor(d.host, cfg);
    importBusybox(docker);
  });
  after(async () => {
    if (skip || !d || !docker) return;
    const ids = docker(['ps', '-aq']).stdout.split('\n').filter(Boolean);
    if (ids.length) docker(['rm', '-f', ...ids]);
    await cleanup?.(docker);
    await d.stop();
    rmSync(cfg, { recursive: true, force: true });
  });
  return { skip, get d() { return d!; }, get docker() { return docker!; }, get cfg() { return cfg; } };
}
