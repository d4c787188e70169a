/**
 * API listeners from Docker host strings: `unix:///run/skiff/skiff.sock` (mode 0660, group
 * `skiff` when it exists, else root) and `tcp://host:port` (TLS, with client certificates
 * required under --tlsverify). A plain TCP listener on a non-loopback address is refused unless
 * the operator explicitly allowed it: anyone who reaches it is root on this host.
 */
import { createServer as createHttpServer, type Server, type ServerOptions } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { chmod, chown, mkdir, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isIP } from 'node:net';
import type { ApiServer } from './server.js';

export interface TlsFiles {
  ca?: string;
  cert: string;
  key: string;
  /** Require and verify client certificates (--tlsverify). */
  verify: boolean;
}

export interface ListenOptions {
  tls?: TlsFiles;
  /** Group owning unix sockets; `explicit` when the operator named it (-G), so absence is an error. */
  socketGroup?: { name: string; explicit: boolean };
  /** Allows plain TCP on a non-loopback address (Docker: --tlsverify=false given explicitly). */
  allowInsecureTcp?: boolean;
}

export interface Listener {
  host: string;
  server: Server;
  /** The unix socket path, removed on close. */
  socketPath?: string;
}

export type HostSpec = { proto: 'unix'; path: string } | { proto: 'tcp'; host: string; port: number };

/** Parses `unix:///path`, `tcp://host:port` (port defaults 2375, or 2376 with TLS). */
export function parseHost(spec: string, tls: boolean): HostSpec {
  const i = spec.indexOf('://');
  if (i < 0) throw new Error(`bad format ${spec}, expected PROTO://ADDR`);
  const proto = spec.slice(0, i);
  const addr = spec.slice(i + 3);
  if (proto === 'unix') {
    if (!addr.startsWith('/')) throw new Error(`invalid unix socket path in ${spec}: must be absolute`);
    return { proto: 'unix', path: addr };
  }
  if (proto === 'tcp') {
    const m = /^(?:\[([^\]]+)\]|([^:/]*))(?::([0-9]+))?\/?$/.exec(addr);
    if (!m) throw new Error(`invalid bind address format: ${addr}`);
    const host = m[1] ?? (m[2] || '127.0.0.1');
    const port = m[3] !== undefined ? Number(m[3]) : tls ? 2376 : 2375;
    if (!(port > 0 && port < 65536)) throw new Error(`invalid bind address format: ${addr}`);
    return { proto: 'tcp', host, port };
  }
  throw new Error(`invalid bind address (${spec}): unsupported proto '${proto}'`);
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '0:0:0:0:0:0:0:1';
}

/** The group's gid from /etc/group, or undefined. */
async function lookupGroup(name: string): Promise<number | undefined> {
  if (/^[0-9]+$/.test(name)) return Number(name);
  const text = await readFile('/etc/group', 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f[0] === name && f[2] !== undefined) return Number(f[2]);
  }
  return undefined;
}

function listenOn(server: Server, arg: { path: string } | { host: string; port: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(arg, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

// Long uploads (image load, build contexts) and long polls (events, wait) must not be cut by
// Node's default request timeout; keep-alive is on with a timeout like Go's idle default.
const SERVER_OPTIONS: ServerOptions = { requestTimeout: 0, keepAliveTimeout: 60_000, noDelay: true };

export async function listen(api: ApiServer, host: string, opts: ListenOptions): Promise<Listener> {
  const spec = parseHost(host, opts.tls !== undefined);
  if (spec.proto === 'unix') {
    const server = createHttpServer(SERVER_OPTIONS);
    api.attach(server);
    await mkdir(dirname(spec.path), { recursive: true, mode: 0o755 });
    // A socket left by a daemon that died; the pidfile already guarantees none is running.
    await unlink(spec.path).catch(() => undefined);
    await listenOn(server, { path: spec.path });
    await chmod(spec.path, 0o660);
    const group = opts.socketGroup ?? { name: 'skiff', explicit: false };
    const gid = await lookupGroup(group.name);
    if (gid === undefined && group.explicit) {
      server.close();
      throw new Error(`can't create unix socket ${spec.path}: group ${group.name} not found`);
    }
    await chown(spec.path, 0, gid ?? 0).catch(() => undefined);
    return { host, server, socketPath: spec.path };
  }
  if (!opts.tls?.verify && !isLoopback(spec.host) && !opts.allowInsecureTcp) {
    throw new Error(
      `refusing to listen on ${host} without TLS client verification: use --tlsverify with --tlscacert, --tlscert and --tlskey, or pass --tlsverify=false to allow an unauthenticated API`,
    );
  }
  let server: Server;
  if (opts.tls) {
    const [cert, key, ca] = await Promise.all([
      readFile(opts.tls.cert),
      readFile(opts.tls.key),
      opts.tls.ca ? readFile(opts.tls.ca) : Promise.resolve(undefined),
    ]);
    server = createHttpsServer({
      ...SERVER_OPTIONS,
      cert,
      key,
      ca,
      requestCert: opts.tls.verify,
      rejectUnauthorized: opts.tls.verify,
      minVersion: 'TLSv1.2',
    }) as unknown as Server;
  } else {
    server = createHttpServer(SERVER_OPTIONS);
  }
  api.attach(server);
  await listenOn(server, { host: spec.host, port: spec.port });
  return { host, server };
}

/** Closes a listener's socket file after its server closed. */
export async function removeSocket(l: Listener): Promise<void> {
  if (l.socketPath) await unlink(l.socketPath).catch(() => undefined);
}
