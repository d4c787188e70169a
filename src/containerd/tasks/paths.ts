/**
 * Where a task's files live inside its state directory. The shim and the planner must agree on
 * the console socket and exec fifo paths, so both take them from here. The exit file is written
 * by the shim at the moment of the exit and outlives it: a daemon that finds a dead shim still
 * learns how its process ended.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExitStatus } from './index.js';

export interface TaskPaths {
  socket: string;
  pidFile: string;
  exitFile: string;
  consoleSocket: string;
  /** For planContainer's execFifo. */
  execFifo: { dir: string; name: string };
}

export function taskPaths(dir: string): TaskPaths {
  return {
    socket: join(dir, 'shim.sock'),
    pidFile: join(dir, 'shim.pid'),
    exitFile: join(dir, 'exit'),
    consoleSocket: join(dir, 'console.sock'),
    execFifo: { dir, name: 'exec.fifo' },
  };
}

/** A short per-exec console socket path (exec ids are 64 hex characters; sun_path is 108 bytes). */
export function execConsoleSocket(dir: string, execId: string): string {
  return join(dir, `x-${createHash('sha256').update(execId).digest('hex').slice(0, 12)}.sock`);
}

interface ExitRecord {
  pid: number;
  exitCode: number;
  signal: number;
  exitedAtNs: number | string;
}

/** The exit the shim recorded, if the container's init has exited. */
export async function readExitFile(dir: string): Promise<(ExitStatus & { pid: number }) | undefined> {
  let text: string;
  try {
    text = await readFile(taskPaths(dir).exitFile, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  // exitedAtNs exceeds 2^53; JSON.parse would round it, so it is read from the text.
  const ns = /"exitedAtNs":(\d+)/.exec(text)?.[1];
  const r = JSON.parse(text) as ExitRecord;
  return { pid: r.pid, exitCode: r.exitCode, signal: r.signal, exitedAt: nsToDate(ns ? BigInt(ns) : 0n) };
}

export function nsToDate(ns: bigint): Date {
  return new Date(Number(ns / 1_000_000n));
}
