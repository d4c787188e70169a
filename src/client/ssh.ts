/**
 * `ssh://[user@]host[:port][/socket]` hosts, as the docker CLI does them: the system `ssh` client
 * runs `docker system dial-stdio` on the remote host and HTTP travels over its stdin/stdout.
 *
 * The remote command is `docker` on purpose (docker's exact argv): one remote setup then serves
 * both the stock docker CLI and skiff, and the remote may run dockerd or skiffd. A skiff-only host
 * provides `docker` as a link to `skiff` (whose `system dial-stdio` is the same verb). A path in
 * the URL names the remote daemon socket: `docker --host unix://<path> system dial-stdio`.
 */
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { Duplex } from 'node:stream';

// Only ssh hosts spawn anything: load child_process on use, not at every CLI start.
const childProcess = (): typeof import('node:child_process') =>
  createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');

export interface SshSpec {
  user?: string;
  host: string;
  port?: string;
  path: string;
}

/** Parses an ssh:// URL with docker's rules (no password, query or fragment; a host is required). */
export function parseSshUrl(raw: string): SshSpec {
  const invalid = (why: string): Error => new Error(`ssh host connection is not valid: invalid SSH URL: ${why}`);
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw invalid(`parse ${JSON.stringify(raw)}: invalid URL`);
  }
  if (u.password) throw invalid('plain-text password is not supported');
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (host === '') throw invalid('hostname is empty');
  if (u.search) throw invalid(`query parameters are not allowed: ${JSON.stringify(u.search.slice(1))}`);
  if (u.hash) throw invalid(`fragments are not allowed: ${JSON.stringify(u.hash.slice(1))}`);
  return { user: u.username ? decodeURIComponent(u.username) : undefined, host, port: u.port || undefined, path: decodeURIComponent(u.pathname) };
}

// The characters after which a POSIX shell would not read a word literally.
const SHELL_SPECIAL = /[;"'()$|&><`\s\\#{~*?[=]/;
const KEYWORDS = new Set(['!', '[[', ']]', 'case', 'coproc', 'do', 'done', 'elif', 'else', 'esac', 'fi', 'for', 'function', 'if', 'in', 'select', 'then', 'time', 'until', 'while', '{', '}']);

/** One word for the remote shell: as is when plain, else single- (or double-) quoted. */
export function shellQuote(s: string): string {
  if (s === '') return "''";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 || c < 0x20 || c === 0x7f) throw new Error(`invalid argument: cannot quote character at byte ${i}: POSIX shell lacks escape sequences`);
  }
  if (!SHELL_SPECIAL.test(s) && !KEYWORDS.has(s)) return s;
  if (!s.includes("'")) return `'${s}'`;
  return `"${s.replace(/["\\`$]/g, '\\$&')}"`;
}

/**
 * The argv after `ssh`, as docker 28 builds it: `-o ConnectTimeout=30 -T [-l user] [-p port] --
 * host docker [--host unix://path] system dial-stdio`. The remote words are shell-quoted (ssh hands
 * them to the remote shell), which leaves ordinary ones exactly as docker passes them.
 */
export function sshArgs(spec: SshSpec): string[] {
  const args = ['-o ConnectTimeout=30', '-T'];
  if (spec.user) args.push('-l', spec.user);
  if (spec.port) args.push('-p', spec.port);
  args.push('--', spec.host);
  const remote = spec.path.replace(/^\/+|\/+$/g, '') !== ''
    ? ['docker', '--host', `unix://${spec.path}`, 'system', 'dial-stdio']
    : ['docker', 'system', 'dial-stdio'];
  return [...args, ...remote.map(shellQuote)];
}

/**
 * A connection that is a child process: writes go to its stdin, reads come from its stdout,
 * `end()` closes stdin (the half-close the daemon sees as EOF). When the command exits badly
 * the stream fails with docker's wording and the command's stderr (its last 4 KiB).
 */
export class CommandConn extends Duplex {
  private readonly child: ChildProcess;
  private stderr = '';
  private exited: Promise<number | string>;

  constructor(readonly argv: string[]) {
    super({ allowHalfOpen: true });
    const [cmd, ...args] = argv;
    this.child = childProcess().spawn(cmd!, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => {
      this.child.once('error', (e: NodeJS.ErrnoException) => {
        resolve(e.message);
        // Go's wording for a missing binary, as docker prints it.
        this.destroy(new Error(e.code === 'ENOENT' ? `exec: "${cmd}": executable file not found in $PATH` : e.message));
      });
      this.child.once('exit', (code, signal) => resolve(signal ? `signal: ${signal === 'SIGKILL' ? 'killed' : signal === 'SIGTERM' ? 'terminated' : signal}` : code ?? 0));
    });
    this.child.stderr!.on('data', (d: Buffer) => {
      if (this.stderr.length > 4096) this.stderr = '';
      this.stderr += d.toString();
    });
    this.child.stdout!.on('data', (d: Buffer) => {
      if (!this.push(d)) this.child.stdout!.pause();
    });
    this.child.stdout!.on('end', () => void this.onEof());
    this.child.stdin!.on('error', () => undefined); // a dead command surfaces through onEof
  }

  private async onEof(): Promise<void> {
    const status = await this.exited;
    if (status === 0 || this.destroyed) {
      this.push(null);
      return;
    }
    // The stderr pipe may still hold the command's last words.
    await new Promise((r) => (this.child.stderr!.readableEnded ? r(undefined) : this.child.stderr!.once('close', r)));
    const how = typeof status === 'number' ? `exit status ${status}` : status;
    this.destroy(new Error(`command [${this.argv.join(' ')}] has exited with ${how}, make sure the URL is valid, and Docker 18.09 or later is installed on the remote host: stderr=${this.stderr}`));
  }

  override _read(): void {
    this.child.stdout!.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    if (this.child.stdin!.destroyed) return cb();
    this.child.stdin!.write(chunk, () => cb());
  }

  override _final(cb: (e?: Error | null) => void): void {
    this.child.stdin!.end(() => cb());
  }

  override _destroy(err: Error | null, cb: (e: Error | null) => void): void {
    // docker: SIGTERM, then SIGKILL after 3 s.
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const t = setTimeout(() => this.child.kill('SIGKILL'), 3000);
      t.unref();
      this.child.once('exit', () => clearTimeout(t));
    }
    this.child.stdin!.destroy();
    this.child.stdout!.destroy();
    this.child.stderr!.destroy();
    cb(err);
  }

  // What http.Agent and ClientRequest call on a net.Socket.
  setKeepAlive(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setTimeout(_ms: number, cb?: () => void): this {
    if (cb) this.once('timeout', cb);
    return this;
  }
  ref(): this {
    this.child.ref();
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr]) (s as unknown as { ref?: () => void }).ref?.();
    return this;
  }
  unref(): this {
    this.child.unref();
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr]) (s as unknown as { unref?: () => void }).unref?.();
    return this;
  }
}

/** Opens one connection to the daemon behind an ssh:// host. */
export function dialSsh(spec: SshSpec): CommandConn {
  return new CommandConn(['ssh', ...sshArgs(spec)]);
}
