/**
 * A task held by a shim: every call is a request on a fresh connection to `<dir>/shim.sock`
 * (cheap on a unix socket, and nothing to repair after a shim or daemon restart); wait and
 * attach keep their connection for as long as they last. The init process is exec id "".
 */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { constants } from 'node:os';
import { internal, invalidArgument, unavailable } from '../../common/errors.js';
import { ShimAttachStream, exitFromFields } from './attach.js';
import { ShimConn, call } from './connection.js';
import type { AttachOptions, AttachStream, ExecOptions, ExecProcess, ExecState, ExitStatus, Task, TaskState, TaskStatus } from './index.js';
import { execConsoleSocket, taskPaths } from './paths.js';
import { Flag, Msg, fieldInt, fieldStr } from './protocol.js';

function signalNumber(sig: number | NodeJS.Signals): number {
  if (typeof sig === 'number') return sig;
  const n = constants.signals[sig];
  if (n === undefined) throw invalidArgument(`invalid signal: ${sig}`);
  return n;
}

function attachFlags(o: AttachOptions): number {
  return (o.stdin ? Flag.ATTACH_STDIN : 0) | (o.stdout ? Flag.ATTACH_STDOUT : 0) | (o.stderr ? Flag.ATTACH_STDERR : 0);
}

/** Fields [id, pid, status, exit code, signal, exited ns] from `at`. */
function execStateAt(f: readonly Buffer[], at: number): ExecState {
  const status = fieldStr(f, at + 2) === 'stopped' ? 'stopped' : 'running';
  return {
    id: fieldStr(f, at),
    pid: fieldInt(f, at + 1),
    status,
    exit: status === 'stopped' ? exitFromFields(f, at + 3) : undefined,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** True while the pid exists and is not a zombie (the shim's parent is not us, so it may reap late). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Operations on one process of the shim (init or an exec). */
class ShimProcess {
  constructor(protected readonly socket: string, readonly execId: string) {}

  async wait(): Promise<ExitStatus> {
    return exitFromFields(await call(this.socket, Msg.WAIT, [this.execId]));
  }

  async kill(signal: number | NodeJS.Signals): Promise<void> {
    await call(this.socket, Msg.KILL, [this.execId, signalNumber(signal)]);
  }

  async attach(opts: AttachOptions): Promise<AttachStream> {
    const conn = await ShimConn.connect(this.socket);
    try {
      await conn.request(Msg.ATTACH, [this.execId, attachFlags(opts)]);
    } catch (e) {
      conn.close();
      throw e;
    }
    return new ShimAttachStream(conn, opts);
  }

  async resize(rows: number, cols: number): Promise<void> {
    await call(this.socket, Msg.RESIZE, [this.execId, rows, cols]);
  }

  async closeStdin(): Promise<void> {
    await call(this.socket, Msg.CLOSE_STDIN, [this.execId]);
  }
}

class ShimExec extends ShimProcess implements ExecProcess {
  constructor(socket: string, readonly id: string, readonly pid: number, readonly stream: AttachStream | undefined) {
    super(socket, id);
  }

  async state(): Promise<ExecState> {
    return execStateAt(await call(this.socket, Msg.EXEC_STATE, [this.id]), 0);
  }

  async delete(): Promise<void> {
    await call(this.socket, Msg.DELETE_EXEC, [this.id]);
  }
}

export class ShimTask extends ShimProcess implements Task {
  constructor(readonly id: string, readonly dir: string, readonly pid: number, readonly shimPid: number) {
    super(taskPaths(dir).socket, '');
  }

  async start(): Promise<void> {
    await call(this.socket, Msg.START);
  }

  async state(): Promise<TaskState> {
    const f = await call(this.socket, Msg.STATE);
    const status = fieldStr(f, 1) as TaskStatus;
    const n = fieldInt(f, 5);
    const execs: ExecState[] = [];
    for (let i = 0; i < n; i++) execs.push(execStateAt(f, 6 + i * 6));
    return { pid: fieldInt(f, 0), status, exit: status === 'stopped' ? exitFromFields(f, 2) : undefined, execs };
  }

  async exec(execId: string, planFile: string, opts: ExecOptions & { consoleSocket?: string }): Promise<ExecProcess> {
    if (!execId) throw invalidArgument('exec id cannot be empty');
    const flags = (opts.terminal ? Flag.EXEC_TERMINAL : 0) | (opts.stdin ? Flag.EXEC_STDIN : 0) | (opts.attach ? attachFlags(opts.attach) : 0);
    const console = opts.terminal ? opts.consoleSocket ?? execConsoleSocket(this.dir, execId) : '';
    const conn = await ShimConn.connect(this.socket);
    let pid: number;
    try {
      pid = fieldInt(await conn.request(Msg.EXEC, [execId, planFile, flags, console]), 0);
    } catch (e) {
      conn.close();
      throw e;
    }
    if (!opts.attach || attachFlags(opts.attach) === 0) {
      conn.close();
      return new ShimExec(this.socket, execId, pid, undefined);
    }
    return new ShimExec(this.socket, execId, pid, new ShimAttachStream(conn, opts.attach));
  }

  async execState(execId: string): Promise<ExecState> {
    return execStateAt(await call(this.socket, Msg.EXEC_STATE, [execId]), 0);
  }

  async shutdown(): Promise<void> {
    // The shim answers, leaves its loop and exits; its end of this connection closes with it, so
    // waiting for the close is waiting for the exit, without polling.
    const conn = await ShimConn.connect(this.socket);
    try {
      await conn.request(Msg.SHUTDOWN);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([conn.closed(), new Promise((r) => { timer = setTimeout(r, 5000); })]);
      clearTimeout(timer);
    } finally {
      conn.close();
    }
    for (let i = 0; alive(this.shimPid); i++) {
      if (i > 500) throw unavailable(`shim ${this.shimPid} did not exit`);
      await sleep(i < 10 ? 1 : 10);
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** The version handshake and state of a shim, for load(). */
export async function loadTask(id: string, dir: string): Promise<ShimTask | undefined> {
  let conn: ShimConn;
  try {
    conn = await ShimConn.connect(taskPaths(dir).socket);
  } catch {
    return undefined;
  }
  try {
    const v = await conn.request(Msg.VERSION);
    const proto = fieldInt(v, 0);
    if (proto !== 1) throw internal(`shim in ${dir} speaks protocol ${proto}, not 1`);
    if (fieldStr(v, 3) !== id) throw internal(`shim in ${dir} serves ${fieldStr(v, 3)}, not ${id}`);
    const st = await conn.request(Msg.STATE);
    return new ShimTask(id, dir, fieldInt(st, 0), fieldInt(v, 2));
  } finally {
    conn.close();
  }
}
