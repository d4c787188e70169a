/**
 * Turns a docker host string (`unix:///path`, `tcp://host:port`, `ssh://user@host:port/path`)
 * plus TLS settings into the options Node's http/https request functions need. Docker's default
 * TCP ports are 2375 (plain) and 2376 (TLS); a bare `host:port` means tcp. An ssh host carries a
 * `dial` function that opens one connection through the system ssh client (see ssh.ts).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { dialSsh, parseSshUrl } from './ssh.js';

export const DEFAULT_HOST = 'unix:///run/skiff/skiff.sock';

export interface TLSSettings {
  /** --tls or --tlsverify or DOCKER_TLS_VERIFY: speak TLS. */
  enabled: boolean;
  /** --tlsverify: verify the daemon's certificate against ca. */
  verify: boolean;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

export interface Endpoint {
  /** The host as the user wrote it (for messages). */
  host: string;
  kind: 'unix' | 'tcp' | 'ssh';
  socketPath?: string;
  /** Opens a connection itself (ssh): the client uses it instead of a socket. */
  dial?: () => Duplex;
  hostname?: string;
  port?: number;
  tls?: { ca?: Buffer | string[]; cert?: Buffer; key?: Buffer; rejectUnauthorized: boolean };
}

export function parseHost(raw: string, tls?: TLSSettings): Endpoint {
  let host = raw.trim();
  if (host === '') host = DEFAULT_HOST;
  if (!host.includes('://')) host = `tcp://${host}`;
  const proto = host.slice(0, host.indexOf('://'));
  const rest = host.slice(proto.length + 3);
  if (proto === 'unix') {
    if (rest === '') throw new Error(`invalid bind address (${raw}): path is empty`);
    return { host, kind: 'unix', socketPath: rest };
  }
  if (proto === 'tcp' || proto === 'http' || proto === 'https') {
    const url = new URL(`http://${rest}`);
    const useTLS = proto === 'https' || (tls?.enabled ?? false);
    const port = url.port ? Number(url.port) : useTLS ? 2376 : 2375;
    const ep: Endpoint = { host, kind: 'tcp', hostname: url.hostname.replace(/^\[|\]$/g, ''), port };
    if (useTLS) ep.tls = loadTLS(tls);
    return ep;
  }
  if (proto === 'ssh') {
    const spec = parseSshUrl(host);
    return { host, kind: 'ssh', hostname: 'docker.example.com', dial: () => dialSsh(spec) };
  }
  throw new Error(`invalid bind address format: ${raw}`);
}

/** Go's wording of the errors a TLS file can give, as docker prints them. */
const GO_ERRNO: Record<string, string> = { ENOENT: 'no such file or directory', EACCES: 'permission denied', EISDIR: 'is a directory', ENOTDIR: 'not a directory' };

function loadTLS(t: TLSSettings | undefined): NonNullable<Endpoint['tls']> {
  const read = (f: string | undefined): Buffer | undefined => {
    if (!f) return undefined;
    try {
      return readFileSync(f);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      throw new Error(`open ${f}: ${GO_ERRNO[code] ?? (e as Error).message}`);
    }
  };
  const verify = t?.verify ?? false;
  const ca = verify ? read(t?.caFile) : undefined;
  return {
    ca: ca ?? (verify ? defaultRootsWithDeferredExtras() : undefined),
    cert: read(t?.certFile),
    key: read(t?.keyFile),
    rejectUnauthorized: verify,
  };
}

/**
 * bin/skiff moves NODE_EXTRA_CA_CERTS to SKIFF_EXTRA_CA_CERTS before Node starts, because Node
 * reads and parses that file at start-up whether or not the process ever speaks TLS. This puts
 * the certificates back where Node would have: added to the default roots, only for a
 * connection that verifies against the defaults (an explicit CA replaces them, in Node too).
 * Undefined means "Node's defaults" (nothing was deferred).
 */
export function defaultRootsWithDeferredExtras(env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  const file = env['SKIFF_EXTRA_CA_CERTS'];
  if (!file) return undefined;
  let extra: string;
  try {
    extra = readFileSync(file, 'utf8');
  } catch (e) {
    // Node's own wording when it cannot load the file; it then goes on with the defaults.
    process.stderr.write(`Warning: Ignoring extra certs from \`${file}\`, load failed: ${(e as Error).message}\n`);
    return undefined;
  }
  const { rootCertificates } = createRequire(import.meta.url)('node:tls') as typeof import('node:tls');
  return [...rootCertificates, extra];
}

/** TLS settings from flags with docker's env fallbacks (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH). */
export function tlsSettings(
  flags: { tls?: boolean; tlsverify?: boolean; tlscacert?: string; tlscert?: string; tlskey?: string },
  env: NodeJS.ProcessEnv,
  configDir: string,
): TLSSettings {
  const certPath = env['DOCKER_CERT_PATH'] || configDir;
  const verify = flags.tlsverify ?? (env['DOCKER_TLS_VERIFY'] !== undefined && env['DOCKER_TLS_VERIFY'] !== '');
  const enabled = verify || (flags.tls ?? false);
  return {
    enabled,
    verify,
    caFile: flags.tlscacert ?? join(certPath, 'ca.pem'),
    certFile: flags.tlscert ?? optional(join(certPath, 'cert.pem')),
    keyFile: flags.tlskey ?? optional(join(certPath, 'key.pem')),
  };
}

/** Client cert and key are optional with --tls; only pass them when they exist. */
function optional(path: string): string | undefined {
  try {
    readFileSync(path);
    return path;
  } catch {
    return undefined;
  }
}
