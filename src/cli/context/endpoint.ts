/**
 * The `--docker host=…,ca=…,cert=…,key=…,skip-tls-verify=…` value shared by `context create` and
 * `context update`, and the endpoint (metadata + TLS files) it describes, checked as docker does:
 * known keys only, a host the client can parse, readable TLS files, a Go-style boolean.
 */
import { readFileSync } from 'node:fs';
import { ContextStore, DEFAULT_HOST, parseHost } from '../../client/index.js';

const KEYS = ['from', 'host', 'ca', 'cert', 'key', 'skip-tls-verify'];
const PREFIX = 'unable to create docker endpoint config';

export function parseDocker(spec: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of spec.split(',').filter(Boolean)) {
    const i = f.indexOf('=');
    const k = i < 0 ? f : f.slice(0, i);
    if (!KEYS.includes(k)) throw new Error(`${PREFIX}: unrecognized config key: ${k}`);
    out[k] = i < 0 ? '' : f.slice(i + 1);
  }
  return out;
}

/** Go's strconv.ParseBool, with docker's message for a bad value. */
function parseBool(config: Record<string, string>, name: string): boolean {
  const v = config[name];
  if (v === undefined) return false;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw new Error(`${PREFIX}: ${name}: parsing ${JSON.stringify(v)}: invalid syntax`);
}

export interface DockerEndpoint {
  meta: { Host: string; SkipTLSVerify: boolean };
  /** ca.pem / cert.pem / key.pem contents; undefined: no TLS material. */
  tls?: Record<string, Buffer>;
}

/** The endpoint a parsed `--docker` value describes (`from=` copies another context's metadata). */
export function dockerEndpoint(store: ContextStore, config: Record<string, string>): DockerEndpoint {
  const from = config['from'];
  if (from !== undefined) {
    const ep = store.get(from).Endpoints.docker;
    if (!ep) throw new Error(`${PREFIX}: unable to get endpoint from context "${from}"`);
    return { meta: { Host: ep.Host ?? DEFAULT_HOST, SkipTLSVerify: ep.SkipTLSVerify ?? false } };
  }
  const tls: Record<string, Buffer> = {};
  for (const [key, file] of [['ca', 'ca.pem'], ['cert', 'cert.pem'], ['key', 'key.pem']] as const) {
    const path = config[key];
    if (!path) continue;
    try {
      tls[file] = readFileSync(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new Error(`${PREFIX}: open ${path}: ${code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
    }
  }
  const meta = { Host: config['host'] ?? '', SkipTLSVerify: parseBool(config, 'skip-tls-verify') };
  if (meta.Host) {
    try {
      parseHost(meta.Host);
    } catch (e) {
      throw new Error(`${PREFIX}: invalid docker endpoint options: ${(e as Error).message}`);
    }
  }
  return { meta, tls: Object.keys(tls).length ? tls : undefined };
}
