/**
 * The CLI's warm pool. Node takes tens of milliseconds to start before the CLI runs a line, more
 * than the docker CLI takes for a whole command, so bin/skiff execs skiff-launch
 * (native/launch/main.c), which hands each command to a skiff process started ahead of time with
 * the CLI loaded. Each such process serves one command in the caller's environment, directory
 * and stdio, then exits (src/cli/warm/worker.ts); whoever finishes a command (a cold start or a
 * pool process) starts the next ones, so the pool refills in the background while nobody waits.
 *
 * The pool lives in a directory skiff-launch names (SKIFF_CLI_POOL): per user and installation,
 * under $XDG_RUNTIME_DIR or /tmp, mode 0700 at both levels. SKIFF_CLI_WARM sets its size (0
 * turns it off; default 1, at most 8); an idle process exits after SKIFF_CLI_WARM_IDLE seconds
 * (default 900).
 */
import { spawn } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const DEFAULT_SIZE = 1;
const MAX_SIZE = 8;
const DEFAULT_IDLE_SECONDS = 900;

export function poolSize(env: NodeJS.ProcessEnv): number {
  const v = env['SKIFF_CLI_WARM'];
  if (v === undefined || v === '' || !/^\d+$/.test(v)) return DEFAULT_SIZE;
  return Math.min(Number(v), MAX_SIZE);
}

export function idleMilliseconds(env: NodeJS.ProcessEnv): number {
  const v = env['SKIFF_CLI_WARM_IDLE'];
  return (v !== undefined && /^\d+$/.test(v) ? Number(v) : DEFAULT_IDLE_SECONDS) * 1000;
}

/** Ours, a real directory, closed to group and others (what skiff-launch checks too). */
function privateDir(path: string): boolean {
  try {
    const st = lstatSync(path);
    return st.isDirectory() && st.uid === process.getuid?.() && (st.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

/** Creates the pool directory and its parent; false when either is not safely ours. */
export function preparePool(dir: string): boolean {
  for (const d of [dirname(dir), dir]) {
    try {
      mkdirSync(d, { mode: 0o700 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return false;
    }
    if (!privateDir(d)) return false;
  }
  return true;
}

/** Running (a zombie whose parent has not reaped it yet is not). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Starts pool processes until the pool has its size: idle ones (w-<pid>.sock) and starting ones
 * (p-<pid>, removed by the process once it listens) count; entries of dead processes are removed.
 * script is the CLI's launcher, which serves as a pool process when SKIFF_CLI_ROLE=worker.
 */
export function replenish(dir: string, script: string, env: NodeJS.ProcessEnv): void {
  const size = poolSize(env);
  if (size === 0 || !preparePool(dir)) return;
  const live = new Set<number>();
  for (const name of readdirSync(dir)) {
    const m = /^[wp]-(\d+)(?:\.sock)?$/.exec(name);
    if (!m) continue;
    if (alive(Number(m[1]))) live.add(Number(m[1]));
    else rmSync(join(dir, name), { force: true });
  }
  const workerEnv: NodeJS.ProcessEnv = { SKIFF_CLI_ROLE: 'worker', SKIFF_CLI_POOL: dir };
  for (const k of ['PATH', 'HOME', 'SKIFF_CLI_WARM', 'SKIFF_CLI_WARM_IDLE']) if (env[k] !== undefined) workerEnv[k] = env[k];
  for (let n = live.size; n < size; n++) {
    const child = spawn(process.execPath, ['--expose-gc', script], { detached: true, stdio: 'ignore', cwd: '/', env: workerEnv });
    child.on('error', () => undefined);
    child.unref();
    if (child.pid !== undefined) writeFileSync(join(dir, `p-${child.pid}`), '', { mode: 0o600 });
  }
}

const REFILL_DELAY_MS = 250;

/**
 * Refills the pool once this command is done, or after a moment if it lasts (it may end by a
 * signal, which runs no exit handler): never while a short command still runs. Returns the
 * function that refills now (once).
 */
export function scheduleRefill(dir: string, script: string, env: NodeJS.ProcessEnv): () => void {
  let done = false;
  const refill = (): void => {
    if (!done) replenish(dir, script, env);
    done = true;
  };
  setTimeout(refill, REFILL_DELAY_MS).unref();
  process.on('exit', refill);
  return refill;
}
