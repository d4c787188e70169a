/**
 * The Engine API server: one request handler shared by every listener (unix sockets, tcp,
 * tcp+TLS; see listen.ts). Per request: split the `/vX.Y` prefix, match a route (404 `page not
 * found` otherwise), check the version (400 with Docker's words), set the headers every Docker
 * response carries, run the handler and map a thrown error to its status through one table.
 * Requests carrying `Upgrade` arrive through Node's 'upgrade' event and get a response object
 * bound to the raw socket, so handlers see the same contract either way.
 */
import { ServerResponse, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorResponse } from './errors.js';
import { readUpgradeBody } from './hijack.js';
import { makeRequest, makeResponse, type ResponseState } from './request.js';
import type { Route } from './route.js';
import { Router, splitVersion } from './router.js';
import { API_VERSION, ENGINE_VERSION, MIN_API_VERSION, checkApiVersion, versionLess } from './version.js';
import { escapeJSONHTML } from '../common/html-escape.js';

/** The logging the server needs; the daemon passes its logger. */
export interface ApiLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface ApiServerOptions {
  routes: readonly Route[];
  /** Lowest API version served (default 1.24). */
  minApiVersion?: string;
  experimental?: boolean;
  logger?: ApiLogger;
  /** Told of every request and upgrade as it arrives (the daemon's idle collector). */
  onRequest?: () => void;
}

const NOOP_LOGGER: ApiLogger = { debug() {}, info() {}, warn() {}, error() {} };
const UPGRADE_BODY_LIMIT = 1024 * 1024;

export class ApiServer {
  private readonly router: Router;
  private readonly log: ApiLogger;
  private readonly common: Record<string, string>;
  readonly minApiVersion: string;
  private readonly servers = new Set<Server>();
  private readonly open = new Set<Duplex>();
  private readonly onRequest: () => void;

  constructor(opts: ApiServerOptions) {
    this.router = new Router(opts.routes);
    this.onRequest = opts.onRequest ?? (() => undefined);
    this.log = opts.logger ?? NOOP_LOGGER;
    this.minApiVersion = opts.minApiVersion ?? MIN_API_VERSION;
    // Set once: moby's version and experimental middlewares put these on every response.
    this.common = {
      'Api-Version': API_VERSION,
      'Docker-Experimental': String(opts.experimental ?? false),
      Ostype: 'linux',
      Server: `Docker/${ENGINE_VERSION} (linux)`,
    };
  }

  /** Attaches the handler to a Node server (http or https) created by a listener. */
  attach(server: Server): void {
    this.servers.add(server);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => { this.onRequest(); void this.dispatch(req, res, undefined, undefined); });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => { this.onRequest(); void this.onUpgrade(req, socket, head); });
    server.on('close', () => this.servers.delete(server));
  }

  private async onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    this.open.add(socket);
    socket.once('close', () => this.open.delete(socket));
    socket.on('error', () => socket.destroy());
    const res = new ServerResponse(req);
    res.assignSocket(socket as import('node:net').Socket);
    res.shouldKeepAlive = false;
    // No parser owns this socket: close it once an ordinary (non-hijacked) answer is out.
    res.once('finish', () => {
      res.detachSocket(socket as import('node:net').Socket);
      socket.end();
    });
    let body: Buffer | undefined;
    const len = Number(req.headers['content-length'] ?? 0);
    try {
      if (len > 0) body = await readUpgradeBody(socket, head, len, UPGRADE_BODY_LIMIT);
      else if (head.length) socket.unshift(head);
    } catch (e) {
      this.fail(req, res, e, undefined);
      return;
    }
    await this.dispatch(req, res, socket, body);
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse, upgrade: Duplex | undefined, body: Buffer | undefined): Promise<void> {
    for (const k in this.common) res.setHeader(k, this.common[k]!);
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    let path: string;
    try {
      path = decodeURIComponent(q < 0 ? url : url.slice(0, q));
    } catch {
      this.writeError(res, 400, `invalid URL escape in ${JSON.stringify(url)}`, undefined);
      return;
    }
    const split = splitVersion(path);
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS') {
      // moby answers OPTIONS on any path with 200 (CORS preflight).
      res.writeHead(200);
      res.end();
      return;
    }
    const match = this.router.match(method, split.path);
    if (!match) {
      this.writeError(res, 404, 'page not found', undefined);
      return;
    }
    const version = split.version ?? API_VERSION;
    const versionErr = checkApiVersion(version, this.minApiVersion);
    if (versionErr) {
      this.writeError(res, 400, versionErr, split.version);
      return;
    }
    const routeMin = match.route.minVersion;
    if (routeMin && versionLess(version, routeMin)) {
      this.writeError(res, 400, `${method} ${path} requires minimum API version ${routeMin}`, split.version);
      return;
    }
    const state: ResponseState = { streaming: false, hijacked: undefined };
    const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    const apiReq = makeRequest(req, split.path, match.params, query, version, body);
    const apiRes = makeResponse(req, res, state, upgrade);
    try {
      await match.route.handler(apiReq, apiRes);
      if (state.hijacked || res.writableEnded) return;
      if (state.streaming) res.end();
      else {
        this.log.error(`Handler for ${method} ${match.route.path} sent no response`);
        this.writeError(res, 500, 'handler sent no response', split.version);
      }
    } catch (e) {
      this.fail(req, res, e, split.version, state);
    }
  }

  private fail(req: IncomingMessage, res: ServerResponse, e: unknown, version: string | undefined, state?: ResponseState): void {
    const { status, message } = errorResponse(e);
    if (status >= 500) {
      this.log.error(`Handler for ${req.method} ${req.url} returned error: ${message}`, { status });
    } else {
      this.log.debug(`${req.method} ${req.url}: ${message}`, { status });
    }
    if (state?.hijacked) {
      state.hijacked.destroy();
      return;
    }
    if (res.headersSent) {
      // A stream already under way: errors after the head travel in-band (the handler's job);
      // all we can do is end it.
      if (!res.writableEnded) res.end();
      return;
    }
    this.writeError(res, status, message, version);
  }

  /** `{"message": …}`, or plain text for request versions below 1.24 as moby does. */
  private writeError(res: ServerResponse, status: number, message: string, version: string | undefined): void {
    if (res.headersSent) return;
    if (version !== undefined && versionLess(version, '1.24')) {
      const body = message + '\n';
      res.writeHead(status, {
        'Content-Type': 'text/plain; charset=utf-8',
        'X-Content-Type-Options': 'nosniff',
        'Content-Length': Buffer.byteLength(body),
      });
      res.end(body);
      return;
    }
    const body = escapeJSONHTML(JSON.stringify({ message })) + '\n';
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }

  /**
   * Stops accepting, lets requests in flight finish for up to `graceMs`, then cuts what is left
   * (event streams, hijacked attach sessions).
   */
  async close(graceMs = 2000): Promise<void> {
    const closing = [...this.servers].map(
      (s) => new Promise<void>((resolve) => s.close(() => resolve())),
    );
    for (const s of this.servers) s.closeIdleConnections();
    const timer = setTimeout(() => {
      for (const s of this.servers) s.closeAllConnections();
      for (const d of this.open) d.destroy();
    }, graceMs);
    timer.unref();
    await Promise.all(closing);
    clearTimeout(timer);
    for (const d of this.open) d.destroy();
  }

  /** Cuts long-lived responses now (used at shutdown after services stopped their streams). */
  closeAllConnections(): void {
    for (const s of this.servers) s.closeAllConnections();
    for (const d of this.open) d.destroy();
  }
}
