/**
 * Registry authentication: `WWW-Authenticate` challenges (RFC 7235) and the distribution token
 * flow. A Basic challenge means sending the credentials on every request; a Bearer challenge
 * names a token server (`realm`, `service`) from which we get a token for the scopes we need —
 * `GET realm?service=…&scope=…` with Basic credentials or anonymously, or the OAuth2 POST when we
 * hold an identity (refresh) token. Tokens are cached per origin, scope set and identity.
 */
import { createHash } from 'node:crypto';
import { EngineError } from '../../common/errors.js';
import type { AuthConfig } from './credentials.js';
import { formatRegistryErrors } from './errors.js';
import { readBody, type HttpResponse, type TlsSettings, type Transport } from './http.js';

export interface Challenge {
  scheme: string; // lower case: 'basic' | 'bearer' | …
  params: Record<string, string>;
}

/** Parses one or more challenges from `WWW-Authenticate` header values. */
export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  const out: Challenge[] = [];
  for (const value of Array.isArray(header) ? header : header ? [header] : []) {
    const re = /\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)(?:\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*))?\s*,?/y;
    let current: Challenge | undefined;
    let m: RegExpExecArray | null;
    while (re.lastIndex < value.length && (m = re.exec(value)) !== null) {
      const [, token = '', raw] = m;
      if (raw === undefined) {
        // A lone token starts a new challenge (or is a token68 we do not use).
        current = { scheme: token.toLowerCase(), params: {} };
        out.push(current);
      } else if (current !== undefined) {
        current.params[token.toLowerCase()] = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
      }
      if (m[0].length === 0) break;
    }
  }
  return out;
}

interface CachedToken {
  header: string;
  expiresAt: number;
}

export interface TokenResponse {
  token?: string;
  access_token?: string;
  expires_in?: number;
  issued_at?: string;
  refresh_token?: string;
}

/** The minimum lifetime the token spec gives a token that states none (or less). */
const MIN_TOKEN_LIFETIME_S = 60;

function identityOf(creds: AuthConfig | undefined): string {
  if (creds === undefined) return 'anonymous';
  return createHash('sha256').update(JSON.stringify([creds.username, creds.password, creds.identityToken, creds.registryToken])).digest('hex');
}

export class Authorizer {
  readonly #transport: Transport;
  readonly #tlsFor: (url: URL) => Promise<TlsSettings | undefined>;
  readonly #challenges = new Map<string, Challenge>();
  readonly #tokens = new Map<string, CachedToken>();

  constructor(transport: Transport, tlsFor: (url: URL) => Promise<TlsSettings | undefined>) {
    this.#transport = transport;
    this.#tlsFor = tlsFor;
  }

  /** Records the challenge a response carried; true when it is one we can answer. */
  noteChallenge(origin: string, res: HttpResponse): boolean {
    const challenges = parseChallenges(res.headers['www-authenticate']);
    const chosen = challenges.find((c) => c.scheme === 'bearer' && c.params['realm']) ?? challenges.find((c) => c.scheme === 'basic');
    if (chosen === undefined) return false;
    this.#challenges.set(origin, chosen);
    return true;
  }

  hasChallenge(origin: string): boolean {
    return this.#challenges.has(origin);
  }

  /** Forgets a cached token that the registry refused. */
  invalidate(origin: string, scopes: readonly string[], creds: AuthConfig | undefined): void {
    this.#tokens.delete(this.#key(origin, scopes, creds));
  }

  #key(origin: string, scopes: readonly string[], creds: AuthConfig | undefined): string {
    return `${origin}|${[...scopes].sort().join(' ')}|${identityOf(creds)}`;
  }

  /** The Authorization header for a request to `origin` needing `scopes`, if any is needed. */
  async authorization(origin: string, scopes: readonly string[], creds: AuthConfig | undefined): Promise<string | undefined> {
    const challenge = this.#challenges.get(origin);
    if (challenge === undefined) return undefined;
    if (challenge.scheme === 'basic') {
      if (creds?.username === undefined) return undefined;
      return `Basic ${Buffer.from(`${creds.username}:${creds.password ?? ''}`).toString('base64')}`;
    }
    if (creds?.registryToken) return `Bearer ${creds.registryToken}`;
    const key = this.#key(origin, scopes, creds);
    const cached = this.#tokens.get(key);
    if (cached !== undefined && cached.expiresAt > Date.now()) return cached.header;
    const token = await this.fetchToken(challenge, scopes, creds);
    const lifetime = Math.max(token.expires_in ?? 0, MIN_TOKEN_LIFETIME_S);
    const issued = token.issued_at ? Date.parse(token.issued_at) : NaN;
    const start = Number.isNaN(issued) || issued > Date.now() ? Date.now() : issued;
    // Renew a little early so a token never expires in flight.
    const header = `Bearer ${token.token || token.access_token}`;
    this.#tokens.set(key, { header, expiresAt: start + lifetime * 1000 - 5_000 });
    return header;
  }

  /** Gets a token from the challenge's realm (also used by login, with no scopes). */
  async fetchToken(challenge: Challenge, scopes: readonly string[], creds: AuthConfig | undefined): Promise<TokenResponse> {
    const realm = new URL(challenge.params['realm'] ?? '');
    const service = challenge.params['service'];
    const tls = await this.#tlsFor(realm);
    let res: HttpResponse | undefined;
    if (creds?.identityToken) {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.identityToken, client_id: 'docker', access_type: 'offline' });
      if (service) form.set('service', service);
      if (scopes.length > 0) form.set('scope', scopes.join(' '));
      res = await this.#transport.request({
        method: 'POST', url: realm, body: Buffer.from(form.toString()),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, ...(tls ? { tls } : {}),
      });
      // The token spec: a server without the OAuth2 endpoint answers 404; use the GET flow then.
      if (res.status === 404) {
        res.body.resume();
        res = undefined;
      }
    }
    if (res === undefined) {
      const url = new URL(realm);
      if (service) url.searchParams.set('service', service);
      for (const s of scopes) url.searchParams.append('scope', s);
      const headers: Record<string, string> = {};
      if (creds?.username !== undefined) {
        url.searchParams.set('account', creds.username);
        headers['Authorization'] = `Basic ${Buffer.from(`${creds.username}:${creds.password ?? ''}`).toString('base64')}`;
      }
      res = await this.#transport.request({ method: 'GET', url, headers, ...(tls ? { tls } : {}) });
    }
    const body = await readBody(res, 1 << 20);
    if (res.status === 401 || res.status === 403) {
      let detail: string | undefined;
      try {
        detail = (JSON.parse(body.toString()) as { details?: string }).details;
      } catch {
        detail = undefined;
      }
      throw new EngineError('unauthorized', detail ? `unauthorized: ${detail}` : formatRegistryErrors(401, body));
    }
    if (res.status !== 200) {
      throw new EngineError('unavailable', `token server ${realm.origin} answered ${res.status}: ${formatRegistryErrors(res.status, body)}`);
    }
    let parsed: TokenResponse;
    try {
      parsed = JSON.parse(body.toString()) as TokenResponse;
    } catch {
      throw new EngineError('unavailable', `token server ${realm.origin} sent invalid JSON`);
    }
    if (!parsed.token && !parsed.access_token) throw new EngineError('unavailable', `token server ${realm.origin} sent no token`);
    return parsed;
  }

  challengeFor(origin: string): Challenge | undefined {
    return this.#challenges.get(origin);
  }
}
