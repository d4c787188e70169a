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
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
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
  readonly proc: ChildProcess;
  /** kill -9 of the daemon, then a new one on the same data-root, exec-root and socket. */
  crashAndRestart(whileDown?: () => void | Promise<void>): Promise<void>;
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
    const iso = isolation();
    const p = spawn(SKIFFD, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...iso.env } });
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
      removeHostResources(iso);
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

let daemonSeq = 0;

/**
 * Per-daemon host resources, so that test daemons running side by side never share a bridge,
 * a subnet, an nftables table or a cgroup parent (and the cleanup can remove exactly them).
 */
function isolation(): { env: NodeJS.ProcessEnv; bip: string; bridge: string; table: string; cgroupParent: string } {
  const tag = `${process.pid.toString(36)}${(daemonSeq++).toString(36)}`.slice(-8);
  const n = (process.pid * 7 + daemonSeq * 13) % 250;
  return {
    bridge: `sk${tag}`,
    table: `skiff-t${tag}`,
    cgroupParent: `/skiff-test-${tag}`,
    bip: `10.${200 + (n % 50)}.${(daemonSeq * 37 + process.pid) % 250}.1/24`,
    env: { SKIFF_BRIDGE_NAME: `sk${tag}`, SKIFF_NFT_TABLE: `skiff-t${tag}`, SKIFF_CGROUP_PARENT: `/skiff-test-${tag}` },
  };
}

function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(dir)).map((l) => l.split(' ')[4]!);
}

function removeHostResources(iso: ReturnType<typeof isolation>): void {
  spawnSync('ip', ['link', 'del', iso.bridge], { stdio: 'ignore' });
  spawnSync('nft', ['delete', 'table', 'ip', iso.table], { stdio: 'ignore' });
  for (const h of existsSync('/sys/fs/cgroup') ? readdirSync('/sys/fs/cgroup') : []) {
    spawnSync('rmdir', [join('/sys/fs/cgroup', h, iso.cgroupParent)], { stdio: 'ignore' });
  }
}

export async function startDaemon(opts: StartOptions = {}): Promise<TestDaemon> {
  const { dir, configFile, args, socket } = makeDaemonDirs(opts.config);
  const iso = isolation();
  const hasBip = (opts.args ?? []).some((a) => a.startsWith('--bip')) ||
    (typeof opts.config === 'object' && opts.config !== null && 'bip' in opts.config) ||
    (typeof opts.config === 'string' && opts.config.includes('"bip"'));
  const argv = [SKIFFD, ...args, ...(hasBip ? [] : ['--bip', iso.bip]), ...(opts.args ?? [])];
  let log = '';
  const logWaiters = new Set<() => void>();
  let proc!: ChildProcess;
  let exited!: Promise<number | null>;
  let hasExited = false;
  const launch = (): void => {
    proc = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...iso.env, ...opts.env } });
    proc.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      for (const w of logWaiters) w();
    });
    proc.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    hasExited = false;
    exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
    void exited.then(() => (hasExited = true));
  };
  launch();

  const d: TestDaemon = {
    dir, socket, host: `unix://${socket}`, dataRoot: join(dir, 'data'), execRoot: join(dir, 'exec'),
    pidfile: join(dir, 'exec', 'skiffd.pid'), configFile,
    get proc() { return proc; },
    async crashAndRestart(whileDown) {
      proc.kill('SIGKILL');
      await exited;
      await whileDown?.();
      launch();
      const deadline = Date.now() + 20_000;
      for (;;) {
        try {
          if ((await d.request('GET', '/_ping')).status === 200) return;
        } catch { /* not yet */ }
        if (hasExited || Date.now() > deadline) throw new Error(`skiffd did not come back:\n${log}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
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
        if (code !== 0) {
          removeHostResources(iso);
          for (const m of mountsUnder(dir).reverse()) spawnSync('umount', ['-l', m], { stdio: 'ignore' });
          rmSync(dir, { recursive: true, force: true });
          throw new Error(`skiffd exited with ${code}:\n${log}`);
        }
      }
      removeHostResources(iso);
      const mounts = mountsUnder(dir);
      for (const m of mounts.reverse()) spawnSync('umount', ['-l', m], { stdio: 'ignore' });
      const left = processesMentioning(dir);
      const leftSocket = existsSync(socket);
      const leftPid = existsSync(d.pidfile);
      for (const pid of left) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
      rmSync(dir, { recursive: true, force: true });
      if (left.length) throw new Error(`skiffd left processes behind: ${left.join(', ')}`);
      if (mounts.length) throw new Error(`skiffd left mounts behind: ${mounts.join(', ')}`);
      if (leftSocket) throw new Error(`skiffd left its socket ${socket}`);
      if (leftPid) throw new Error(`skiffd left its pidfile ${d.pidfile}`);
    },
  };

  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  for (;;) {
    if (hasExited) {
      removeHostResources(iso);
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
