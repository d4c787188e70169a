/**
 * The Engine API client: one keep-alive connection to the daemon, API version negotiation by
 * `HEAD /_ping` (falling back to GET, as moby's client does), and typed helpers for JSON calls,
 * raw bodies, JSON-lines streams and hijacked (attach/exec) connections. Every request goes to
 * `/v<negotiated version>/…`.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import type { Duplex, Readable } from 'node:stream';
import { ApiError, apiErrorFrom, ConnectError, isDialError, transportError } from './errors.js';
import { hijack } from './hijack.js';
import type { Endpoint } from './transport.js';

// node:https pulls in TLS (~10 ms of start-up): load it only for TLS endpoints.
const https = (): typeof import('node:https') => createRequire(import.meta.url)('node:https') as typeof import('node:https');

/** The newest API version this client speaks; a daemon answering lower wins the negotiation. */
export const CLIENT_API_VERSION = '1.51';
/** Assumed when the daemon sends no API-Version header (docker 28's fallback). */
const FALLBACK_API_VERSION = '1.24';

export type QueryValue = string | number | boolean | undefined | null | string[];
export interface CallOptions {
  query?: Record<string, QueryValue>;
  /** An object is sent as JSON; a Buffer/string as is; a Readable is piped. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Ping {
  apiVersion: string;
  osType: string;
  experimental: boolean;
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export function encodeQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) continue;
    for (const one of Array.isArray(v) ? v : [v]) {
      const s = typeof one === 'boolean' ? (one ? '1' : '0') : String(one);
      parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(s)}`);
    }
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

export class Client {
  private version: string | undefined;
  private pinged: Promise<Ping> | undefined;
  private readonly agent: HttpAgent;
  /** Opens connections itself (ssh:// through a command) instead of the agent's sockets. */
  private readonly dialer: (() => Socket) | undefined;

  constructor(readonly endpoint: Endpoint, pinnedVersion?: string) {
    this.version = pinnedVersion || undefined;
    const agentOpts = { keepAlive: true, maxSockets: 8 };
    this.agent = endpoint.tls ? new (https().Agent)({ ...agentOpts, ...endpoint.tls }) : new HttpAgent(agentOpts);
    const dial = endpoint.dial;
    if (dial) {
      this.dialer = () => dial() as unknown as Socket;
      this.agent.createConnection = this.dialer;
    }
  }

  get host(): string {
    return this.endpoint.host;
  }

  /** The negotiated version (pings the daemon the first time). */
  async apiVersion(): Promise<string> {
    if (this.version) return this.version;
    let ping: Ping;
    try {
      ping = await this.ping();
    } catch {
      // As moby's NegotiateAPIVersion: a failed ping leaves the client's own version, and the
      // request itself reports the failure (docker's messages name that request's URL).
      this.version ??= CLIENT_API_VERSION;
      return this.version;
    }
    this.version ??= ping.apiVersion && compareVersions(ping.apiVersion, CLIENT_API_VERSION) < 0 ? ping.apiVersion : CLIENT_API_VERSION;
    return this.version;
  }

  ping(): Promise<Ping> {
    this.pinged ??= this.doPing();
    return this.pinged;
  }

  private async doPing(): Promise<Ping> {
    let res = await this.send('HEAD', '/_ping', {});
    res.resume();
    if (res.statusCode !== 200) {
      res = await this.send('GET', '/_ping', {});
      await readAll(res);
    }
    const h = res.headers;
    return {
      apiVersion: String(h['api-version'] ?? FALLBACK_API_VERSION),
      osType: String(h['ostype'] ?? ''),
      experimental: h['docker-experimental'] === 'true',
    };
  }

  private options(method: string, path: string, headers: Record<string, string>): RequestOptions {
    const ep = this.endpoint;
    const base: RequestOptions & { servername?: string } = { method, path, headers: { 'User-Agent': 'Skiff-Client/0.1.0 (linux)', ...headers }, agent: this.agent };
    // Without TLS there is no SNI to work out: an explicit empty servername keeps the agent from
    // testing the host with net.isIP, whose IPv6 pattern alone costs milliseconds to compile.
    if (!ep.tls) base.servername = '';
    if (ep.kind === 'unix') return { ...base, socketPath: ep.socketPath, host: 'docker' };
    if (this.dialer) return { ...base, host: ep.hostname, createConnection: this.dialer };
    return { ...base, host: ep.hostname, port: ep.port };
  }

  /** One raw round trip; connection failures become ConnectError. */
  private send(method: string, path: string, opts: CallOptions): Promise<IncomingMessage> {
    const headers: Record<string, string> = { ...opts.headers };
    let payload: Buffer | string | undefined;
    let stream: Readable | undefined;
    const b = opts.body;
    if (b !== undefined) {
      if (Buffer.isBuffer(b) || typeof b === 'string') payload = b;
      else if (typeof (b as Readable).pipe === 'function') stream = b as Readable;
      else {
        payload = JSON.stringify(b);
        headers['Content-Type'] ??= 'application/json';
      }
      if (payload !== undefined) headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const fn = this.endpoint.tls ? https().request : httpRequest;
    return new Promise((resolve, reject) => {
      const req = fn(this.options(method, path, headers), resolve);
      req.on('error', (e) => {
        const ep = this.endpoint;
        const url = ep.kind === 'unix' ? `http://${encodeURIComponent(ep.socketPath ?? '')}${path}` : `${ep.tls ? 'https' : 'http'}://${ep.hostname}:${ep.port}${path}`;
        reject(transportError(e, method, url) ?? (isDialError(e) ? new ConnectError(this.host, e) : e));
      });
      if (stream) stream.pipe(req);
      else req.end(payload);
    });
  }

  async versionedPath(path: string, query?: Record<string, QueryValue>): Promise<string> {
    return `/v${await this.apiVersion()}${path}${encodeQuery(query)}`;
  }

  /** A request whose 2xx response the caller reads; other statuses throw ApiError. */
  async request(method: string, path: string, opts: CallOptions = {}): Promise<IncomingMessage> {
    const res = await this.send(method, await this.versionedPath(path, opts.query), opts);
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 400) return res;
    throw apiErrorFrom(status, await readAll(res));
  }

  async json<T = any>(method: string, path: string, opts: CallOptions = {}): Promise<T> {
    const text = await readAll(await this.request(method, path, opts));
    return (text.trim() === '' ? undefined : JSON.parse(text)) as T;
  }

  get<T = any>(path: string, query?: Record<string, QueryValue>): Promise<T> {
    return this.json<T>('GET', path, { query });
  }

  post<T = any>(path: string, query?: Record<string, QueryValue>, body?: unknown): Promise<T> {
    return this.json<T>('POST', path, { query, body });
  }

  /** Each JSON object of a JSON-lines response (pull/push/load progress, events, stats). */
  async *jsonLines<T = any>(method: string, path: string, opts: CallOptions = {}): AsyncGenerator<T> {
    yield* jsonLinesOf<T>(await this.request(method, path, opts));
  }

  /** A hijacked connection (attach, exec start): raw bytes both ways, with half-close. */
  async hijack(method: string, path: string, opts: CallOptions = {}): Promise<Duplex> {
    const full = await this.versionedPath(path, opts.query);
    const headers: Record<string, string> = { ...opts.headers, Connection: 'Upgrade', Upgrade: 'tcp' };
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const fn = this.endpoint.tls ? https().request : httpRequest;
    // The upgraded socket must not return to the keep-alive pool: no agent.
    // (With no agent at all, http uses the options' createConnection: an ssh dial of its own.)
    const reqOpts = { ...this.options(method, full, headers), agent: this.dialer ? undefined : (false as const) };
    return hijack(() => fn(reqOpts), body, this.host);
  }

  close(): void {
    this.agent.destroy();
  }
}

export async function readAll(res: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
}

export { ApiError };

/** Each JSON object of a JSON-lines body already being received. */
export async function* jsonLinesOf<T = any>(res: AsyncIterable<unknown>): AsyncGenerator<T> {
  let buf = '';
  for await (const chunk of res) {
    buf += (chunk as Buffer).toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line) yield JSON.parse(line) as T;
    }
  }
  if (buf.trim()) yield JSON.parse(buf) as T;
}
