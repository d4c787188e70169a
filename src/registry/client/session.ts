/**
 * One registry conversation step: pick the endpoint (mirror, HTTPS, or HTTP for an insecure
 * registry — whichever answers its `/v2/` ping), attach credentials for the scopes at hand,
 * and answer a 401 challenge once. The pull and push halves of the client are built on this.
 */
import type { Readable } from 'node:stream';
import { EngineError } from '../../common/errors.js';
import type { Reference } from '../reference/index.js';
import { Authorizer } from './auth.js';
import type { AuthConfig, CredentialStore } from './credentials.js';
import { isTransportError } from './errors.js';
import { discard, Transport, type HttpResponse } from './http.js';
import { authServerAddress, RegistryHosts, type Endpoint } from './hosts.js';

export interface SessionRequest {
  method: string;
  /** A path below the endpoint origin (`/v2/…`), or an absolute URL (upload locations). */
  path: string | URL;
  headers?: Record<string, string>;
  body?: Buffer | (() => Readable);
}

export type Operation = 'pull' | 'push';

export function pullScope(path: string): string {
  return `repository:${path}:pull`;
}

export function pushScope(path: string): string {
  return `repository:${path}:pull,push`;
}

export class Session {
  readonly hosts: RegistryHosts;
  readonly transport: Transport;
  readonly auth: Authorizer;
  readonly #pings = new Map<string, Promise<void>>();
  /** Origins known not to answer (e.g. HTTPS on a plain-HTTP insecure registry). */
  readonly #dead = new Set<string>();

  constructor(hosts: RegistryHosts, transport: Transport) {
    this.hosts = hosts;
    this.transport = transport;
    this.auth = new Authorizer(transport, async (url) => {
      if (url.protocol !== 'https:') return undefined;
      return this.hosts.tlsFor(url.host, await this.hosts.isInsecure(url.host));
    });
  }

  async credentialsFor(domain: string, store: CredentialStore | undefined): Promise<AuthConfig | undefined> {
    return store?.get(authServerAddress(domain));
  }

  /** `GET /v2/` once per origin: proves the endpoint answers and learns its auth challenge. */
  ping(ep: Endpoint): Promise<void> {
    const origin = ep.url.origin;
    let p = this.#pings.get(origin);
    if (p === undefined) {
      p = (async () => {
        const res = await this.transport.request({ method: 'GET', url: new URL('/v2/', ep.url), ...(ep.tls ? { tls: ep.tls } : {}) });
        discard(res);
        if (res.status === 401) this.auth.noteChallenge(origin, res);
      })();
      this.#pings.set(origin, p);
      p.catch(() => this.#pings.delete(origin));
    }
    return p;
  }

  /**
   * Runs `fn` against each endpoint of the reference's registry in turn: a mirror is left on any
   * error, the registry itself only when it could not be reached (HTTPS → HTTP when insecure).
   */
  async withEndpoints<T>(ref: Reference | string, op: Operation, fn: (ep: Endpoint) => Promise<T>): Promise<T> {
    const domain = typeof ref === 'string' ? ref : ref.domain;
    const all = await this.hosts.endpoints(domain, op);
    const eps = all.filter((e, i) => i === all.length - 1 || !this.#dead.has(e.url.origin));
    let last: unknown;
    for (const [i, ep] of eps.entries()) {
      const final = i === eps.length - 1;
      try {
        await this.ping(ep);
      } catch (e) {
        last = e;
        if (final) throw e;
        if (!ep.mirror) this.#dead.add(ep.url.origin);
        continue;
      }
      try {
        return await fn(ep);
      } catch (e) {
        last = e;
        if (final || !(ep.mirror || isTransportError(e))) throw e;
      }
    }
    throw last instanceof Error ? last : new EngineError('unavailable', `no endpoint for ${domain}`);
  }

  /** Sends one request with credentials for `scopes`, answering one fresh 401 challenge. */
  async send(ep: Endpoint, req: SessionRequest, scopes: readonly string[], creds: AuthConfig | undefined): Promise<HttpResponse> {
    const origin = ep.url.origin;
    const url = req.path instanceof URL ? req.path : new URL(req.path, ep.url);
    for (let attempt = 0; ; attempt++) {
      const authz = await this.auth.authorization(origin, scopes, creds);
      const headers = { ...req.headers, ...(authz !== undefined ? { Authorization: authz } : {}) };
      const res = await this.transport.request({
        method: req.method, url, headers, ...(req.body !== undefined ? { body: req.body } : {}),
        ...(ep.tls && url.origin === origin ? { tls: ep.tls } : {}),
      });
      // A first 401 may only mean an expired token or a challenge not seen yet: learn, retry once.
      if (res.status !== 401 || attempt > 0 || !this.auth.noteChallenge(origin, res)) return res;
      discard(res);
      this.auth.invalidate(origin, scopes, creds);
    }
  }
}
