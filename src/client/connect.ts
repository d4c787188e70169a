/**
 * Resolves which daemon to talk to, in docker's order: `--context`; `-H` or DOCKER_HOST (the
 * synthesised `default` context); DOCKER_CONTEXT; `currentContext` from config.json; `default`.
 * A stored context supplies its host and the TLS files saved next to it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from './client.js';
import type { ConfigFile } from './config.js';
import { ContextStore, DEFAULT_CONTEXT } from './contexts.js';
import { DEFAULT_HOST, parseHost, tlsSettings, type TLSSettings } from './transport.js';

export interface ConnectOptions {
  host?: string[];
  context?: string;
  tls?: boolean;
  tlsverify?: boolean;
  tlscacert?: string;
  tlscert?: string;
  tlskey?: string;
}

export interface Resolved {
  contextName: string;
  host: string;
  tls: TLSSettings;
}

export function resolveContextName(opts: ConnectOptions, cfg: ConfigFile, env: NodeJS.ProcessEnv): string {
  if (opts.context) {
    if (opts.host?.length) throw new Error('conflicting options: cannot specify both --host and --context');
    return opts.context;
  }
  if (opts.host?.length || env['DOCKER_HOST']) return DEFAULT_CONTEXT;
  return env['DOCKER_CONTEXT'] || cfg.currentContext || DEFAULT_CONTEXT;
}

export function resolveEndpoint(opts: ConnectOptions, cfg: ConfigFile, dir: string, env: NodeJS.ProcessEnv): Resolved {
  const contextName = resolveContextName(opts, cfg, env);
  if (contextName === DEFAULT_CONTEXT) {
    const hosts = opts.host ?? [];
    if (hosts.length > 1) throw new Error('Specify only one -H');
    const host = hosts[0] ?? env['DOCKER_HOST'] ?? DEFAULT_HOST;
    return { contextName, host: host || DEFAULT_HOST, tls: tlsSettings(opts, env, dir) };
  }
  const meta = new ContextStore(dir).get(contextName);
  const ep = meta.Endpoints.docker ?? {};
  const tlsDir = new ContextStore(dir).tlsDir(contextName);
  const file = (f: string): string | undefined => (existsSync(join(tlsDir, f)) ? join(tlsDir, f) : undefined);
  const ca = file('ca.pem');
  const tls: TLSSettings = {
    enabled: ca !== undefined || file('cert.pem') !== undefined,
    verify: ca !== undefined && !ep.SkipTLSVerify,
    caFile: ca, certFile: file('cert.pem'), keyFile: file('key.pem'),
  };
  return { contextName, host: ep.Host || DEFAULT_HOST, tls };
}

export function connect(r: Resolved, env: NodeJS.ProcessEnv): Client {
  return new Client(parseHost(r.host, r.tls), env['DOCKER_API_VERSION']);
}
