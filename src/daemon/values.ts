/**
 * Parsing and validation of option values, shared by flags and daemon.json: the same
 * `nofile=1024:2048`, `name=path` and `base=…,size=…` forms Docker accepts, and the semantic
 * checks dockerd's config.Validate performs, with its wording.
 */
import { validateMinApiVersion } from '../api/version.js';
import { LOG_LEVELS } from './log.js';
import type { AddressPool, DaemonConfig, RuntimeSpec, Ulimit } from './config.js';

export function parseBool(v: string, what: string): boolean {
  const s = v.toLowerCase();
  if (['1', 't', 'true'].includes(s)) return true;
  if (['0', 'f', 'false'].includes(s)) return false;
  throw new Error(`invalid argument "${v}" for "--${what}" flag: strconv.ParseBool: parsing "${v}": invalid syntax`);
}

export function parseInt10(v: string, what: string): number {
  if (!/^[+-]?[0-9]+$/.test(v)) throw new Error(`invalid argument "${v}" for "--${what}" flag: strconv.ParseInt: parsing "${v}": invalid syntax`);
  return Number(v);
}

export function parseKv(v: string, what: string): [string, string] {
  const eq = v.indexOf('=');
  if (eq <= 0) throw new Error(`invalid argument "${v}" for "--${what}" flag: must be formatted key=value`);
  return [v.slice(0, eq), v.slice(eq + 1)];
}

/** `nofile=1024:2048` or `nofile=1024` (soft = hard). */
export function parseUlimit(v: string): Ulimit {
  const m = /^([a-z]+)=(-?[0-9]+)(?::(-?[0-9]+))?$/.exec(v);
  if (!m) throw new Error(`invalid ulimit argument: ${v}`);
  const soft = Number(m[2]);
  const hard = m[3] !== undefined ? Number(m[3]) : soft;
  if (soft > hard) throw new Error(`ulimit soft limit must be less than or equal to hard limit: ${soft} > ${hard}`);
  return { Name: m[1]!, Soft: soft, Hard: hard };
}

export function parseRuntime(v: string): [string, RuntimeSpec] {
  const [name, path] = parseKv(v, 'add-runtime');
  return [name, { path }];
}

/** `base=10.10.0.0/16,size=24`. */
export function parsePool(v: string): AddressPool {
  let base = '';
  let size = NaN;
  for (const part of v.split(',')) {
    const [k, val] = parseKv(part, 'default-address-pool');
    if (k === 'base') base = val;
    else if (k === 'size') size = Number(val);
    else throw new Error(`unexpected key '${k}' in '${v}'`);
  }
  if (!base || !Number.isInteger(size)) throw new Error(`invalid default-address-pool: ${v}`);
  return { base, size };
}

/** dockerd's Validate, on the merged configuration; null when valid. */
export function validateConfig(c: DaemonConfig): string | null {
  if (!LOG_LEVELS.includes(c.logLevel as never)) return `invalid logging level: ${c.logLevel}`;
  if (c.mtu < 0 || c.mtu > 65535) return `invalid default MTU: ${c.mtu}`;
  if (c.maxConcurrentDownloads < 0) return `invalid max concurrent downloads: ${c.maxConcurrentDownloads}`;
  if (c.maxConcurrentUploads < 0) return `invalid max concurrent uploads: ${c.maxConcurrentUploads}`;
  const api = validateMinApiVersion(c.minApiVersion);
  if (api) return `invalid min-api-version: ${api}`;
  for (const l of c.labels) if (!l.includes('=')) return `bad attribute format: ${l}`;
  for (const h of c.hosts) if (!/^(unix|tcp|fd):\/\//.test(h)) return `invalid bind address format: ${h}`;
  if (c.defaultRuntime !== 'runc' && !(c.defaultRuntime in c.runtimes)) {
    return `specified default runtime '${c.defaultRuntime}' does not exist`;
  }
  if (c.tlsverify && (!c.tlscacert || !c.tlscert || !c.tlskey)) {
    return '--tlsverify requires --tlscacert, --tlscert and --tlskey';
  }
  if (c.tls && !c.tlsverify && (!c.tlscert || !c.tlskey)) return '--tls requires --tlscert and --tlskey';
  return null;
}
