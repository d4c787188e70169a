/**
 * The HTTP transport under the registry client: Node's http/https with one keep-alive agent per
 * origin (its TLS settings baked in), bounded retries with backoff for failures before a
 * response arrives, redirects for GET/HEAD (blob downloads are often redirected to storage; the
 * Authorization header never follows to another origin), and an inactivity timeout.
 */
import { createHash } from 'node:crypto';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { pipeline, type Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { rootCertificates } from 'node:tls';
import { failedPrecondition } from '../../common/errors.js';
import { TransportError } from './errors.js';

export interface TlsSettings {
  /** Extra CA certificates, added to Node's bundled roots. */
  ca?: Buffer[];
  cert?: Buffer;
  key?: Buffer;
  /** False only for registries configured as insecure. */
  rejectUnauthorized: boolean;
}

export interface HttpRequest {
  method: string;
  url: URL;
  headers?: Record<string, string>;
  /** A Buffer, or a factory so that a retried request can send its body again. */
  body?: Buffer | (() => Readable);
  /** TLS settings for `url`'s origin (not for origins a redirect leads to). */
  tls?: TlsSettings;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: IncomingMessage;
  /** The URL that answered, after redirects: relative Location headers resolve against it. */
  url: URL;
}

export interface TransportOptions {
  userAgent: string;
  /** Attempts per request on connection errors (default 3). */
  attempts?: number;
  /** Socket inactivity timeout in ms (default 60 s). */
  timeoutMs?: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

class SourceError extends Error {}

export class Transport {
  readonly #agents = new Map<string, http.Agent>();
  readonly #opts: Required<TransportOptions>;

  constructor(opts: TransportOptions) {
    this.#opts = { attempts: 3, timeoutMs: 60_000, ...opts };
  }

  #agent(url: URL, tls: TlsSettings | undefined): http.Agent {
    // One agent per origin and TLS identity: a pooled socket must not outlive a change of trust.
    const id = createHash('sha256');
    for (const b of [...(tls?.ca ?? []), tls?.cert ?? Buffer.alloc(0)]) id.update(b);
    const key = `${url.origin}|${tls?.rejectUnauthorized === false ? 'insecure' : 'verify'}|${id.digest('hex')}`;
    let agent = this.#agents.get(key);
    if (agent === undefined) {
      if (url.protocol === 'https:') {
        agent = new https.Agent({
          keepAlive: true,
          maxSockets: 16,
          ...(tls?.ca?.length ? { ca: [...rootCertificates, ...tls.ca] } : {}),
          ...(tls?.cert && tls.key ? { cert: tls.cert, key: tls.key } : {}),
          rejectUnauthorized: tls?.rejectUnauthorized ?? true,
        });
      } else {
        agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
      }
      this.#agents.set(key, agent);
    }
    return agent;
  }

  /** Sends a request; follows redirects for GET and HEAD; retries connection failures. */
  async request(req: HttpRequest): Promise<HttpResponse> {
    let url = req.url;
    let headers = { 'User-Agent': this.#opts.userAgent, ...req.headers };
    let tls = req.tls;
    for (let hop = 0; ; hop++) {
      const res = await this.#withRetries({ ...req, url, headers, ...(tls ? { tls } : {}) });
      if (!REDIRECTS.has(res.status) || (req.method !== 'GET' && req.method !== 'HEAD')) return res;
      const location = res.headers.location;
      res.body.resume();
      if (location === undefined || hop >= MAX_REDIRECTS) throw failedPrecondition(`${req.method} "${url}": too many or broken redirects`);
      const next = new URL(location, url);
      if (next.origin !== url.origin) {
        // Credentials are for the registry, never for the storage it redirects to.
        const { Authorization: _a, authorization: _b, ...rest } = headers as Record<string, string>;
        headers = rest as typeof headers;
        tls = undefined;
      }
      url = next;
    }
  }

  async #withRetries(req: HttpRequest): Promise<HttpResponse> {
    const replayable = req.body === undefined || Buffer.isBuffer(req.body) || typeof req.body === 'function';
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#once(req);
      } catch (e) {
        if (!(e instanceof TransportError) || !replayable || attempt >= this.#opts.attempts) throw e;
        await sleep(100 * 4 ** (attempt - 1));
      }
    }
  }

  #once(req: HttpRequest): Promise<HttpResponse> {
    const { method, url } = req;
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (e: unknown): void => {
        if (settled) return;
        settled = true;
        if (e instanceof SourceError) reject(e.cause);
        else reject(new TransportError(`${method} "${url.href}": ${(e as Error).message}`, e));
      };
      const mod = url.protocol === 'https:' ? https : http;
      const r = mod.request(url, { method, headers: req.headers, agent: this.#agent(url, req.tls) }, (res) => {
        if (settled) {
          res.resume();
          return;
        }
        settled = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res, url });
      });
      r.setTimeout(this.#opts.timeoutMs, () => r.destroy(new Error(`no activity for ${this.#opts.timeoutMs} ms`)));
      r.on('error', fail);
      const body = req.body;
      if (body === undefined) r.end();
      else if (Buffer.isBuffer(body)) r.end(body);
      else {
        const src = body();
        // A failing source is the caller's problem, not the network's: do not retry it.
        src.on('error', (e) => fail(new SourceError('source failed', { cause: e })));
        pipeline(src, r, () => undefined);
      }
    });
  }

  /** Closes idle keep-alive sockets, so a finished process can exit. */
  close(): void {
    for (const a of this.#agents.values()) a.destroy();
    this.#agents.clear();
  }
}

/** Reads a whole (small) response body, refusing more than `limit` bytes. */
export async function readBody(res: HttpResponse, limit = 4 << 20): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of res.body) {
    n += (c as Buffer).length;
    if (n > limit) {
      res.body.destroy();
      throw failedPrecondition(`response from "${res.url.href}" exceeds ${limit} bytes`);
    }
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Discards a response body so the socket returns to the pool. */
export function discard(res: HttpResponse): void {
  res.body.resume();
}
