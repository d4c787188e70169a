/**
 * Runs skiff-init with a plan and follows its reports (JSON lines on fd 4): the container pid,
 * then ready (created, waiting for start), started (exec done), or an error naming the step.
 * The error keeps its fields across the boundary, so callers derive exit codes (126/127) from
 * the step and errno, never from the text.
 */
import { spawn, type StdioOptions } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { EngineError, internal } from '../common/errors.js';
import { nativeBinary } from '../common/paths.js';

export class InitError extends EngineError {
  readonly step: string;
  readonly errno: number;
  constructor(step: string, errno: number, message: string) {
    super(step === 'exec' || step === 'cwd' ? 'invalid-argument' : 'internal', message);
    this.step = step;
    this.errno = errno;
  }

  /** Docker's exit codes for a process that could not be started: 127 not found, 126 not runnable. */
  get exitCode(): number {
    if (this.step === 'exec' && this.errno === 2) return 127;
    if (this.step === 'exec' || this.step === 'cwd') return 126;
    return 125;
  }
}

interface Report {
  pid?: number;
  ready?: boolean;
  started?: boolean;
  error?: { step: string; errno: number; message: string; strerror: string };
}

export interface InitOptions {
  foreground?: boolean;
  /** stdin, stdout, stderr of the container process (default: inherited). */
  stdio?: [StdioOptions | 'inherit' | 'ignore' | number, unknown, unknown];
  /** Extra fds passed through as 5, 6, … (mapped to the container's 3, 4, … by the caller's plan). */
  onPid?: (pid: number) => void;
  /** Called once the container is created (ready) or started; foreground runs continue to the exit. */
  onStarted?: () => void;
  /** Signals the caller receives while a foreground run lasts are forwarded to skiff-init. */
  forwardSignals?: boolean;
}

export interface InitResult {
  pid: number;
  /** Exit status of the container (foreground mode only). */
  status?: number;
}

function toError(e: NonNullable<Report['error']>): InitError {
  const text = e.step === 'exec' || !e.strerror ? e.message : `${e.message}: ${e.strerror}`;
  return new InitError(e.step, e.errno, e.step === 'exec' ? text : `${e.step}: ${text}`);
}

export function runInit(plan: Buffer, opts: InitOptions = {}): Promise<InitResult> {
  const args = ['--plan-fd', '3', '--report-fd', '4'];
  if (opts.foreground) args.push('--foreground');
  const stdio = [...(opts.stdio ?? ['inherit', 'inherit', 'inherit']), 'pipe', 'pipe'] as StdioOptions;
  const child = spawn(nativeBinary('skiff-init'), args, { stdio });
  const planPipe = child.stdio[3] as Writable;
  const reportPipe = child.stdio[4] as Readable;
  planPipe.on('error', () => undefined);
  planPipe.end(plan);

  const forwarded: [NodeJS.Signals, () => void][] = [];
  if (opts.foreground && opts.forwardSignals) {
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'] as const) {
      const h = () => { child.kill(sig); };
      process.on(sig, h);
      forwarded.push([sig, h]);
    }
  }

  return new Promise((resolve, reject) => {
    let pid = 0;
    let error: InitError | undefined;
    let buf = '';
    reportPipe.setEncoding('utf8');
    reportPipe.on('data', (chunk: string) => {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        let r: Report;
        try {
          r = JSON.parse(line) as Report;
        } catch {
          continue;
        }
        if (r.pid) {
          pid = r.pid;
          opts.onPid?.(pid);
        }
        if (r.ready || r.started) opts.onStarted?.();
        if (r.error) error = toError(r.error);
      }
    });
    child.on('error', (e) => reject(internal(`cannot run skiff-init: ${e.message}`, e)));
    child.on('close', (code, signal) => {
      for (const [sig, h] of forwarded) process.off(sig, h);
      if (error) return reject(error);
      if (!opts.foreground && code !== 0) {
        return reject(internal(`skiff-init exited with ${signal ?? code} before the container was created`));
      }
      if (!pid) return reject(internal('skiff-init reported no container pid'));
      resolve({ pid, status: opts.foreground ? code ?? 128 : undefined });
    });
  });
}
