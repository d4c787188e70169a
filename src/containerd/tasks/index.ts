/**
 * Tasks: the running processes of containers, each held by its own skiff-shim (containerd's
 * shim model). A container is a record the services keep; a task is its live process, which
 * survives skiffd restarts: the shim keeps the stdio, the json-file log and the exit status, and
 * the next daemon finds it again with `list` + `load` (live-restore).
 *
 * The caller computes the plans (planContainer / planExec) with the paths from `taskPaths` so
 * that the shim and skiff-init meet at the same console socket and exec fifo.
 */
import type { Readable, Writable } from 'node:stream';

export { taskPaths, execConsoleSocket, readExitFile } from './paths.js';
export type { TaskPaths } from './paths.js';
export { ShimTaskService } from './service.js';

export interface ExitStatus {
  /** Docker's exit code: the process's status, or 128 + signal when a signal killed it. */
  exitCode: number;
  /** The signal that killed the process, 0 if it exited on its own. */
  signal: number;
  exitedAt: Date;
}

export type TaskStatus = 'created' | 'running' | 'stopped';

export interface ExecState {
  id: string;
  pid: number;
  status: Exclude<TaskStatus, 'created'>;
  /** Set once stopped. */
  exit?: ExitStatus;
}

export interface TaskState {
  pid: number;
  status: TaskStatus;
  exit?: ExitStatus;
  execs: ExecState[];
}

export interface AttachOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
}

/** A live connection to a process's stdio. A tty has one stream, delivered as stdout. */
export interface AttachStream {
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  /** Bytes written go to the process; ending it does not close the process's stdin (closeStdin does). */
  readonly stdin: Writable | null;
  /** The exit status once the process exits, or undefined if the stream was closed or dropped first. */
  readonly exit: Promise<ExitStatus | undefined>;
  resize(rows: number, cols: number): void;
  /** Closes the process's stdin (EOF), as `docker run -i` does when its input ends. */
  closeStdin(): void;
  close(): void;
}

export interface CreateTaskOptions {
  id: string;
  /** Absolute and short: `<dir>/shim.sock` must stay under 108 bytes. Created if missing. */
  dir: string;
  /** The encoded plan, planned with taskPaths(dir).consoleSocket / .execFifo as needed. */
  planFile: string;
  /** json-file log path (`containers/<id>/<id>-json.log`); absent: no log (`--log-driver none`). */
  logPath?: string;
  logOpts?: { maxSize?: number; maxFile?: number };
  terminal: boolean;
  stdin: boolean;
  /** false: the plan waits on the exec fifo until start() (create/start split). */
  startNow: boolean;
}

export interface ExecOptions {
  terminal: boolean;
  stdin: boolean;
  /** Attach this connection before the process runs, so no output is missed. */
  attach?: AttachOptions;
}

export interface ExecProcess {
  readonly id: string;
  readonly pid: number;
  /** The stream opened with the exec when `attach` was given. */
  readonly stream: AttachStream | undefined;
  state(): Promise<ExecState>;
  wait(): Promise<ExitStatus>;
  kill(signal: number | NodeJS.Signals): Promise<void>;
  attach(opts: AttachOptions): Promise<AttachStream>;
  resize(rows: number, cols: number): Promise<void>;
  closeStdin(): Promise<void>;
  /** Forgets a stopped exec in the shim. */
  delete(): Promise<void>;
}

export interface Task {
  readonly id: string;
  readonly pid: number;
  readonly dir: string;
  /** Pid of the shim process itself. */
  readonly shimPid: number;
  start(): Promise<void>;
  state(): Promise<TaskState>;
  wait(): Promise<ExitStatus>;
  kill(signal: number | NodeJS.Signals): Promise<void>;
  attach(opts: AttachOptions): Promise<AttachStream>;
  resize(rows: number, cols: number): Promise<void>;
  closeStdin(): Promise<void>;
  exec(execId: string, planFile: string, opts: ExecOptions): Promise<ExecProcess>;
  execState(execId: string): Promise<ExecState>;
  /** Stops the shim of a stopped task and removes its state directory. */
  shutdown(): Promise<void>;
}

export interface TaskService {
  /** Starts a shim, which starts the process; skiff-init's failures reject with an InitError. */
  create(opts: CreateTaskOptions): Promise<Task>;
  /** Re-attaches to the shim in `dir` after a daemon restart; undefined if no shim serves it. */
  load(id: string, dir: string): Promise<Task | undefined>;
  /** Every directory under `root` that a live shim serves, with the task id it reports. */
  list(root: string): Promise<{ id: string; dir: string }[]>;
}
