/**
 * Fixtures for the build tests: a real skiffd with a busybox base image imported from a rootfs
 * made of the host's static busybox, the stock docker CLI pointed at it with the classic
 * builder (DOCKER_BUILDKIT=0), and build contexts written to temp directories. Every child
 * process is bounded by a timeout and killed with SIGKILL when it overruns.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startDaemon, type TestDaemon } from '../../helpers/daemon.js';
import { makeBusyboxRootfs, tempDir } from '../../helpers/rootfs.js';

export const DOCKER = '/usr/local/bin/docker';
export const isRoot = process.getuid?.() === 0;
export const skipReason: string | false = !isRoot ? 'needs root' : !existsSync(DOCKER) ? `${DOCKER} is absent` : false;

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface BuildFixture {
  d: TestDaemon;
  dir: string;
  docker(args: string[], input?: string): Run;
  /** Like `docker`, without blocking the event loop (for servers running in the test). */
  dockerAsync(args: string[]): Promise<Run>;
  /** `docker …` that must succeed; its trimmed stdout. */
  ok(args: string[]): string;
  /** A context directory with these files (paths relative to it). */
  context(name: string, files: Record<string, string>): string;
  close(): Promise<void>;
}

export async function buildFixture(): Promise<BuildFixture> {
  const d = await startDaemon();
  const dir = tempDir('skiff-build-test-');
  const env = { ...process.env, DOCKER_HOST: d.host, DOCKER_BUILDKIT: '0', DOCKER_CONFIG: join(dir, 'docker-config') };
  const docker = (args: string[], input?: string): Run => {
    const r = spawnSync(DOCKER, args, { env, timeout: 60_000, killSignal: 'SIGKILL', encoding: 'utf8', ...(input !== undefined ? { input } : {}) });
    return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  };
  const ok = (args: string[]) => {
    const r = docker(args);
    if (r.status !== 0) throw new Error(`docker ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}\n${d.logs().slice(-3000)}`);
    return r.stdout.trim();
  };
  const root = join(dir, 'rootfs');
  mkdirSync(root);
  makeBusyboxRootfs(root);
  const tarFile = join(dir, 'busybox.tar');
  execFileSync('tar', ['-C', root, '--numeric-owner', '-cf', tarFile, '.'], { timeout: 60_000, killSignal: 'SIGKILL' });
  ok(['import', '-c', 'CMD ["sh"]', tarFile, 'busybox:latest']);
  const dockerAsync = (args: string[]) => new Promise<Run>((resolve) => {
    execFile(DOCKER, args, { env, timeout: 60_000, killSignal: 'SIGKILL', encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ status: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
  return {
    d, dir, docker, dockerAsync, ok,
    context(name, files) {
      const c = join(dir, name);
      rmSync(c, { recursive: true, force: true });
      for (const [p, text] of Object.entries(files)) {
        mkdirSync(dirname(join(c, p)), { recursive: true });
        writeFileSync(join(c, p), text);
      }
      mkdirSync(c, { recursive: true });
      return c;
    },
    async close() {
      try {
        const left = docker(['ps', '-aq']).stdout.trim();
        if (left) docker(['rm', '-f', ...left.split('\n')]);
      } finally {
        await d.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The `Step N/M : …` lines of a build's output, and whether each used the cache. */
export function steps(output: string): { step: string; cached: boolean }[] {
  const out: { step: string; cached: boolean }[] = [];
  for (const line of output.split('\n')) {
    const m = /^Step \d+\/\d+ : (.*)$/.exec(line);
    if (m) out.push({ step: m[1]!, cached: false });
    else if (line.trim() === '---> Using cache' && out.length) out[out.length - 1]!.cached = true;
  }
  return out;
}
