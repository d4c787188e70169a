/**
 * Where a registry domain is reached and how: Docker Hub's domain maps to its API host, mirrors
 * (Docker Hub only, pulls only) come first, HTTPS is the default, and a registry is insecure —
 * TLS unverified, then plain HTTP as a fallback — only when listed in `insecureRegistries` by name
 * or CIDR, or when it resolves into 127.0.0.0/8 or ::1, as Docker's daemon treats it. Custom CAs
 * and client certificates come from `<certs-dir>/<host:port>/` (`*.crt`, `*.cert` + `*.key`).
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { invalidArgument } from '../../common/errors.js';
import type { TlsSettings } from './http.js';

export const DEFAULT_CERTS_DIRS: readonly string[] = ['/etc/docker/certs.d', '/etc/skiff/certs.d'];
const DEFAULT_INSECURE_CIDRS = ['127.0.0.0/8', '::1/128'];

export const DOCKER_HUB_DOMAIN = 'docker.io';
export const DOCKER_HUB_HOST = 'registry-1.docker.io';
/** The key Docker Hub credentials are stored under in Docker's config file. */
export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';

export interface Endpoint {
  /** Origin of the registry API, e.g. `https://registry-1.docker.io`. */
  url: URL;
  tls?: TlsSettings;
  mirror: boolean;
}

export interface HostsOptions {
  insecureRegistries?: string[];
  mirrors?: string[];
  certsDirs?: readonly string[];
}

export function registryHost(domain: string): string {
  return domain === DOCKER_HUB_DOMAIN || domain === 'index.docker.io' ? DOCKER_HUB_HOST : domain;
}

/** The server address credentials are looked up by (Docker's `authConfigKey`). */
export function authServerAddress(domain: string): string {
  return domain === DOCKER_HUB_DOMAIN || domain === 'index.docker.io' || domain === DOCKER_HUB_HOST ? DOCKER_HUB_AUTH_KEY : domain;
}

/** An IPv4 or IPv6 address as a number and its bit width, or undefined. */
function ipToBigInt(ip: string): { value: bigint; bits: number } | undefined {
  const v = isIP(ip);
  if (v === 4) return { value: ip.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n), bits: 32 };
  if (v !== 6) return undefined;
  let addr = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(addr);
  if (v4 !== null) {
    const n = ipToBigInt(v4[1] as string)?.value ?? 0n;
    addr = addr.slice(0, -(v4[1] as string).length) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = addr.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return { value: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n), bits: 128 };
}

export function cidrContains(cidr: string, ip: string): boolean {
  const [net = '', lenText] = cidr.split('/');
  const n = ipToBigInt(net);
  const a = ipToBigInt(ip);
  if (n === undefined || a === undefined || n.bits !== a.bits) return false;
  const len = lenText === undefined ? n.bits : Number(lenText);
  if (!Number.isInteger(len) || len < 0 || len > n.bits) return false;
  const shift = BigInt(n.bits - len);
  return n.value >> shift === a.value >> shift;
}

/** Splits `host[:port]` / `[v6]:port` into the bare host. */
export function hostOnly(hostport: string): string {
  if (hostport.startsWith('[')) return hostport.slice(1, hostport.indexOf(']'));
  const i = hostport.lastIndexOf(':');
  return i === -1 || hostport.indexOf(':') !== i ? hostport : hostport.slice(0, i);
}

export class RegistryHosts {
  readonly #names: Set<string>;
  readonly #cidrs: string[];
  readonly #mirrors: URL[];
  readonly #certsDirs: readonly string[];
  readonly #insecureCache = new Map<string, Promise<boolean>>();

  constructor(opts: HostsOptions = {}) {
    const entries = opts.insecureRegistries ?? [];
    this.#cidrs = [...DEFAULT_INSECURE_CIDRS, ...entries.filter((e) => e.includes('/') && ipToBigInt(e.split('/')[0] as string))];
    this.#names = new Set(entries.filter((e) => !this.#cidrs.includes(e)).map((e) => e.replace(/^[a-z]+:\/\//, '').replace(/\/+$/, '')));
    this.#mirrors = (opts.mirrors ?? []).map((m) => {
      let u: URL;
      try {
        u = new URL(m);
      } catch {
        throw invalidArgument(`invalid mirror: ${JSON.stringify(m)} is not a valid URI`);
      }
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw invalidArgument(`invalid mirror: unsupported scheme ${JSON.stringify(u.protocol.slice(0, -1))} in ${JSON.stringify(m)}`);
      if ((u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) throw invalidArgument(`invalid mirror: path, query or fragment not allowed in ${JSON.stringify(m)}`);
      return new URL(u.origin);
    });
    this.#certsDirs = opts.certsDirs ?? DEFAULT_CERTS_DIRS;
  }

  /** Whether TLS may be skipped for `hostport`: by name, by CIDR of its addresses, or loopback. */
  isInsecure(hostport: string): Promise<boolean> {
    let p = this.#insecureCache.get(hostport);
    if (p === undefined) {
      p = this.#checkInsecure(hostport);
      this.#insecureCache.set(hostport, p);
    }
    return p;
  }

  async #checkInsecure(hostport: string): Promise<boolean> {
    if (this.#names.has(hostport)) return true;
    // Docker Hub is secure unless listed by name: no lookup, as Docker's index config has it.
    if (hostport === DOCKER_HUB_HOST || hostport === DOCKER_HUB_DOMAIN || hostport === 'index.docker.io') return false;
    const host = hostOnly(hostport);
    let addrs: string[];
    if (isIP(host) !== 0) addrs = [host];
    else if (host === 'localhost') addrs = ['127.0.0.1', '::1'];
    else {
      try {
        addrs = (await lookup(host, { all: true })).map((a) => a.address);
      } catch {
        return false; // unresolvable: the connection will fail anyway, securely
      }
    }
    return addrs.some((a) => this.#cidrs.some((c) => cidrContains(c, a)));
  }

  /** CA and client certificates from the certs directories for `hostport`. */
  async tlsFor(hostport: string, insecure: boolean): Promise<TlsSettings> {
    const tls: TlsSettings = { rejectUnauthorized: !insecure };
    const ca: Buffer[] = [];
    for (const base of this.#certsDirs) {
      const dir = join(base, hostport);
      let files: string[];
      try {
        files = (await readdir(dir)).sort();
      } catch {
        continue;
      }
      for (const f of files) {
        if (f.endsWith('.crt')) ca.push(await readFile(join(dir, f)));
        else if (f.endsWith('.cert')) {
          const key = f.slice(0, -'.cert'.length) + '.key';
          if (!files.includes(key)) throw invalidArgument(`missing key ${key} for client certificate ${f} in ${dir}`);
          tls.cert = await readFile(join(dir, f));
          tls.key = await readFile(join(dir, key));
        } else if (f.endsWith('.key')) {
          const cert = f.slice(0, -'.key'.length) + '.cert';
          if (!files.includes(cert)) throw invalidArgument(`missing client certificate ${cert} for key ${f} in ${dir}`);
        }
      }
    }
    if (ca.length > 0) tls.ca = ca;
    return tls;
  }

  /** Endpoints to try in order for a registry domain. */
  async endpoints(domain: string, op: 'pull' | 'push'): Promise<Endpoint[]> {
    const out: Endpoint[] = [];
    if (op === 'pull' && registryHost(domain) === DOCKER_HUB_HOST) {
      for (const m of this.#mirrors) {
        const insecure = await this.isInsecure(m.host);
        out.push({ url: m, mirror: true, ...(m.protocol === 'https:' ? { tls: await this.tlsFor(m.host, insecure) } : {}) });
      }
    }
    const host = registryHost(domain);
    const insecure = await this.isInsecure(host);
    out.push({ url: new URL(`https://${host}`), tls: await this.tlsFor(host, insecure), mirror: false });
    if (insecure) out.push({ url: new URL(`http://${host}`), mirror: false });
    return out;
  }
}
