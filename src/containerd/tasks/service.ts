/**
 * The task service: starts one skiff-shim per task and finds shims again after a restart.
 * The shim daemonizes; its launcher prints one JSON line once the process exists (or why it
 * could not) and exits, so `create` never leaves a child of the daemon behind.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { spawnLight } from '../../sys/spawn.js';
import { internal, invalidArgument } from '../../common/errors.js';
import { nativeBinary } from '../../common/paths.js';
import { call, initError } from './connection.js';
import type { CreateTaskOptions, Task, TaskService } from './index.js';
import { taskPaths } from './paths.js';
import { Msg, fieldStr } from './protocol.js';
import { ShimTask, loadTask } from './task.js';

interface LaunchReport {
  pid?: number;
  shimPid?: number;
  status?: string;
  error?: { step: string; errno: number; message: string; strerror: string };
}

export interface ShimTaskServiceOptions {
  /** skiff-shim and skiff-init binaries (default: native/build, or $SKIFF_LIBEXEC). */
  shimBinary?: string;
  initBinary?: string;
}

export function shimArgs(opts: CreateTaskOptions, initBinary: string): string[] {
  const p = taskPaths(opts.dir);
  const args = ['--id', opts.id, '--dir', opts.dir, '--init', initBinary, '--plan', opts.planFile];
  args.push('--log', opts.logPath ?? 'none');
  if (opts.logOpts?.maxSize) args.push('--log-max-size', String(opts.logOpts.maxSize));
  if (opts.logOpts?.maxFile) args.push('--log-max-file', String(opts.logOpts.maxFile));
  if (opts.terminal) args.push('--terminal', '--console-socket', p.consoleSocket);
  if (opts.stdin) args.push('--stdin');
  if (!opts.startNow) args.push('--exec-fifo', join(p.execFifo.dir, p.execFifo.name));
  return args;
}

function launch(binary: string, args: string[]): Promise<LaunchReport> {
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawnLight(binary, [binary, ...args]);
    } catch (e) {
      reject(internal(`cannot run skiff-shim: ${(e as Error).message}`, e));
      return;
    }
    let out = '';
    let err = '';
    let done = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      // The report is one line, written once the container exists: no need to wait for the
      // launcher's exit and pipe teardown.
      const nl = out.indexOf('\n');
      if (nl < 0 || done) return;
      try {
        const report = JSON.parse(out.slice(0, nl)) as LaunchReport;
        done = true;
        resolve(report);
      } catch { /* not the report: keep reading */ }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    child.exited.then((code) => {
      if (done) return;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return reject(internal(`skiff-shim exited with ${code} without a report${err ? `: ${err.trim()}` : ''}`));
      try {
        resolve(JSON.parse(line) as LaunchReport);
      } catch {
        reject(internal(`skiff-shim: malformed report: ${line}`));
      }
    }, (e: unknown) => { if (!done) reject(internal(`skiff-shim: ${(e as Error).message}`, e)); });
  });
}

export class ShimTaskService implements TaskService {
  private readonly shim: string;
  private readonly init: string;

  constructor(opts: ShimTaskServiceOptions = {}) {
    this.shim = opts.shimBinary ?? nativeBinary('skiff-shim');
    this.init = opts.initBinary ?? nativeBinary('skiff-init');
  }

  async create(opts: CreateTaskOptions): Promise<Task> {
    for (const [name, p] of [['dir', opts.dir], ['planFile', opts.planFile], ['logPath', opts.logPath]] as const) {
      if (p !== undefined && !isAbsolute(p)) throw invalidArgument(`task ${name} must be absolute: ${p}`);
    }
    if (Buffer.byteLength(taskPaths(opts.dir).consoleSocket) >= 108) throw invalidArgument(`task dir too long for a socket path: ${opts.dir}`);
    await mkdir(opts.dir, { recursive: true, mode: 0o700 });
    const r = await launch(this.shim, shimArgs(opts, this.init));
    if (r.error) throw initError(r.error);
    if (!r.pid || !r.shimPid) throw internal(`skiff-shim: no pid in its report`);
    return new ShimTask(opts.id, opts.dir, r.pid, r.shimPid);
  }

  load(id: string, dir: string): Promise<Task | undefined> {
    return loadTask(id, dir);
  }

  async list(root: string): Promise<{ id: string; dir: string }[]> {
    let names: string[];
    try {
      names = await readdir(root);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const found = await Promise.all(names.map(async (name) => {
      const dir = join(root, name);
      const sock = taskPaths(dir).socket;
      if (!existsSync(sock)) return undefined;
      try {
        const v = await call(sock, Msg.VERSION);
        return { id: fieldStr(v, 3), dir };
      } catch {
        return undefined; // a stale socket: the shim is gone
      }
    }));
    return found.filter((f): f is { id: string; dir: string } => f !== undefined);
  }
}
