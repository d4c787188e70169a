/**
 * Starts a real skiffd for a test: its own temporary data-root, exec-root, socket, pidfile and
 * daemon.json, so tests never touch a running daemon or each other. `startDaemon()` resolves once
 * `/_ping` answers; `stop()` sends SIGTERM, waits for the exit and checks that no process of this
 * daemon (anything whose command line names its temp dir) and no socket or pidfile remain.
 *
 *   const d = await startDaemon({ config: { debug: true } });
 *   try { const r = await d.request('GET', '/v1.47/info'); assert.equal(r.status, 200); }
 *   finally { await d.stop(); }
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const SKIFFD = resolve('bin/skiffd');

export interface StartOptions {
  /** daemon.json content: an object (serialised) or raw text; none → an empty file. */
  config?: object | string;
  /** Extra flags. */
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** How long to wait for /_ping (default 20 s). */
  timeoutMs?: number;
}

export interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  json<T = any>(): T;
}

export interface TestDaemon {
  dir: string;
  socket: string;
  /** `unix://<socket>`, for DOCKER_HOST. */
  host: string;
  dataRoot: string;
  execRoot: string;
  pidfile: string;
  configFile: string;
  proc: ChildProcess;
  /** Everything the daemon wrote to stderr so far. */
  logs(): string;
  request(method: string, path: string, opts?: { body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  /** A request whose response is read by the caller (event streams). */
  stream(method: string, path: string, headers?: Record<string, string>): Promise<IncomingMessage>;
  /** Resolves when the log contains `text` (or rejects after timeoutMs). */
  waitForLog(text: string | RegExp, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export function makeDaemonDirs(config?: object | string): { dir: string; configFile: string; args: string[]; socket: string } {
  const dir = mkdtempSync(join(tmpdir(), 'skiffd-test-'));
  const configFile = join(dir, 'daemon.json');
  writeFileSync(configFile, config === undefined ? '' : typeof config === 'string' ? config : JSON.stringify(config));
  const socket = join(dir, 'exec', 'skiff.sock');
  const args = [
    '--data-root', join(dir, 'data'), '--exec-root', join(dir, 'exec'), '--pidfile', join(dir, 'exec', 'skiffd.pid'),
    '--config-file', configFile, '-H', `unix://${socket}`,
  ];
  return { dir, configFile, args, socket };
}

/** Runs skiffd expecting it to exit (bad config, --validate, --version): its code and output. */
export function runDaemonOnce(args: string[], timeoutMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const p = spawn(process.execPath, [SKIFFD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const t = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`skiffd ${args.join(' ')} did not exit: ${stderr}`));
    }, timeoutMs);
    p.on('exit', (code) => {
      clearTimeout(t);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

function call(socket: string, method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<IncomingMessage> {
  return new Promise((resolvePromise, reject) => {
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const h: Record<string, string> = { ...headers };
    if (data !== undefined) {
      h['Content-Type'] ??= 'application/json';
      h['Content-Length'] = String(Buffer.byteLength(data));
    }
    const req = httpRequest({ socketPath: socket, method, path, headers: h }, resolvePromise);
    req.on('error', reject);
    req.end(data);
  });
}

async function readBody(res: IncomingMessage): Promise<string> {
  let s = '';
  for await (const c of res) s += (c as Buffer).toString();
  return s;
}

/** Pids of processes whose command line mentions `marker` (the test's temp dir). */
export function processesMentioning(marker: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(marker)) out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

export async function startDaemon(opts: StartOptions = {}): Promise<TestDaemon> {
  const { dir, configFile, args, socket } = makeDaemonDirs(opts.config);
  const proc = spawn(process.execPath, [SKIFFD, ...args, ...(opts.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
  });
  let log = '';
  const logWaiters = new Set<() => void>();
  proc.stderr!.on('data', (d: Buffer) => {
    log += d.toString();
    for (const w of logWaiters) w();
  });
  proc.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const d: TestDaemon = {
    dir, socket, host: `unix://${socket}`, dataRoot: join(dir, 'data'), execRoot: join(dir, 'exec'),
    pidfile: join(dir, 'exec', 'skiffd.pid'), configFile, proc,
    logs: () => log,
    async request(method, path, o = {}) {
      const res = await call(socket, method, path, o.body, o.headers);
      const body = await readBody(res);
      return { status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) };
    },
    stream: (method, path, headers) => call(socket, method, path, undefined, headers),
    waitForLog(text, timeoutMs = 10_000) {
      const has = (): boolean => (typeof text === 'string' ? log.includes(text) : text.test(log));
      if (has()) return Promise.resolve();
      return new Promise((res, rej) => {
        const check = (): void => {
          if (!has()) return;
          logWaiters.delete(check);
          clearTimeout(t);
          res();
        };
        const t = setTimeout(() => {
          logWaiters.delete(check);
          rej(new Error(`skiffd log never showed ${String(text)}:\n${log}`));
        }, timeoutMs);
        logWaiters.add(check);
      });
    },
    async stop() {
      if (!hasExited) {
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 20_000);
        const code = await exited;
        clearTimeout(t);
        if (code !== 0) throw new Error(`skiffd exited with ${code}:\n${log}`);
      }
      const left = processesMentioning(dir);
      const leftSocket = existsSync(socket);
      const leftPid = existsSync(d.pidfile);
      for (const pid of left) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
      rmSync(dir, { recursive: true, force: true });
      if (left.length) throw new Error(`skiffd left processes behind: ${left.join(', ')}`);
      if (leftSocket) throw new Error(`skiffd left its socket ${socket}`);
      if (leftPid) throw new Error(`skiffd left its pidfile ${d.pidfile}`);
    },
  };

  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  for (;;) {
    if (hasExited) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`skiffd exited during start-up:\n${log}`);
    }
    try {
      const r = await d.request('GET', '/_ping');
      if (r.status === 200) return d;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`skiffd did not answer /_ping in time:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}
