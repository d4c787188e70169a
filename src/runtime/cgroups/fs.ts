/**
 * cgroupfs I/O shared by both managers. Cgroup files are not ordinary files: each write(2) is
 * parsed as one command, some files are write-only (so they must be opened O_WRONLY, never
 * O_RDWR, and never with O_CREAT, which would turn "controller missing" into EACCES), and rmdir
 * fails with EBUSY while exiting tasks are still being reaped.
 *
 * The I/O is synchronous on purpose: a cgroupfs operation is a few microseconds in the kernel,
 * far less than a round trip through libuv's thread pool, and a container start makes dozens
 * of them (one directory and several limits per v1 hierarchy). Only waits (EBUSY retries) yield.
 */
import { closeSync, constants, existsSync, openSync, readdirSync, readFileSync, rmdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EngineError, failedPrecondition, internal, invalidArgument, unavailable } from '../../common/errors.js';
import type { CgroupProbe, CgroupWrite } from './write.js';

function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null ? ((e as NodeJS.ErrnoException).code ?? undefined) : undefined;
}

/** A kernel refusal as an EngineError that names the file and the value. */
export function writeError(e: unknown, path: string, value: string): EngineError {
  const code = errnoCode(e);
  const what = `cannot write "${value}" to ${path}`;
  switch (code) {
    case 'EINVAL':
      return invalidArgument(`${what}: the kernel rejected the value (EINVAL)`, e);
    case 'EBUSY':
      return new EngineError('failed-precondition', `${what}: resource busy (EBUSY); current usage or child cgroups conflict with it`, { cause: e });
    case 'ENOENT':
      return new EngineError('failed-precondition', `${what}: no such file; the controller is not available or not enabled for this cgroup`, { cause: e });
    case 'EPERM':
    case 'EACCES':
      return new EngineError('forbidden', `${what}: permission denied (${code})`, { cause: e });
    case 'ERANGE':
      return invalidArgument(`${what}: value out of range (ERANGE)`, e);
    default:
      return internal(`${what}: ${e instanceof Error ? e.message : String(e)}`, e);
  }
}

/** Writes one value with one write(2). Throws an EngineError naming the file and the value. */
export async function writeCgroupFile(path: string, value: string): Promise<void> {
  writeCgroupFileSync(path, value);
}

export function writeCgroupFileSync(path: string, value: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_WRONLY);
    writeSync(fd, value);
  } catch (e) {
    throw writeError(e, path, value);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The file's content trimmed, or undefined when absent or unreadable. */
export async function readCgroupFile(path: string): Promise<string | undefined> {
  return readCgroupFileSync(path);
}

export function readCgroupFileSync(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** A synchronous probe over files located by `dirFor` (undefined = controller not mounted). */
export function dirProbe(dirFor: (file: string) => string | undefined): CgroupProbe {
  return {
    exists(file) {
      const dir = dirFor(file);
      return dir !== undefined && existsSync(join(dir, file));
    },
    read(file) {
      const dir = dirFor(file);
      if (dir === undefined) return undefined;
      try { return readFileSync(join(dir, file), 'utf8').trim(); } catch { return undefined; }
    },
  };
}

/**
 * Executes a write plan in order. `dirFor` places each file; a write whose controller has no
 * directory is an error naming the controller, except for optional writes.
 */
export async function applyWrites(writes: CgroupWrite[], dirFor: (file: string) => string | undefined): Promise<void> {
  const deferred: { write: CgroupWrite; error: EngineError }[] = [];
  for (const w of writes) {
    const dir = dirFor(w.file);
    if (dir === undefined) {
      if (w.optional) continue;
      throw failedPrecondition(`cannot set ${w.file}: its cgroup controller is not mounted on this host`);
    }
    const path = join(dir, w.file);
    if (w.optional && !existsSync(path)) continue;
    try {
      writeCgroupFileSync(path, w.value);
    } catch (e) {
      const err = e as EngineError;
      if (!(w.retryOnEinval && errnoCode(err.cause) === 'EINVAL')) throw err;
      deferred.push({ write: w, error: err });
    }
  }
  for (const { write } of deferred) writeCgroupFileSync(join(dirFor(write.file)!, write.file), write.value);
}

/** Pids in `dir` and every cgroup below it (`runc ps` lists the whole subtree), sorted. */
export async function listPids(dir: string): Promise<number[]> {
  const pids = new Set<number>();
  const walk = (d: string): void => {
    const procs = readCgroupFileSync(join(d, 'cgroup.procs'));
    if (procs === undefined) return;
    for (const line of procs.split('\n')) if (line !== '') pids.add(Number(line));
    let entries;
    try { entries = readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) if (e.isDirectory()) walk(join(d, e.name));
  };
  walk(dir);
  return [...pids].sort((a, b) => a - b);
}

/**
 * Removes `dir` and any cgroups below it, deepest first. Idempotent: a missing dir is success.
 * EBUSY means tasks are still exiting; retry with backoff (about 2 s in all) before giving up.
 */
export async function removeCgroupTree(dir: string): Promise<void> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return;
    throw internal(`cannot list cgroup ${dir}`, e);
  }
  for (const e of entries) if (e.isDirectory()) await removeCgroupTree(join(dir, e.name));
  let delay = 5;
  for (let attempt = 0; ; attempt++) {
    try {
      rmdirSync(dir);
      return;
    } catch (e) {
      const code = errnoCode(e);
      if (code === 'ENOENT') return;
      if (code !== 'EBUSY' || attempt >= 10) throw unavailable(`cannot remove cgroup ${dir}: ${code ?? String(e)} (tasks still running?)`, e);
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 500);
  }
}

/** Polls `check` every few ms until it returns true or `timeoutMs` passes. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let delay = 1;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(delay);
    delay = Math.min(delay * 2, 20);
  }
}

/** Sends `signal` to every pid, ignoring processes that already exited. */
export function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try { process.kill(pid, signal); } catch (e) { if (errnoCode(e) !== 'ESRCH') throw internal(`cannot signal ${pid}`, e); }
  }
}
