/**
 * The docker CLI's config file, `config.json` under `$DOCKER_CONFIG` or `~/.docker`: registry
 * auths, table formats (psFormat, imagesFormat), detachKeys and the current context. Unknown keys
 * are kept on save so skiff and docker can share one file.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface AuthEntry {
  auth?: string;
  identitytoken?: string;
}

export interface ConfigFile {
  auths?: Record<string, AuthEntry>;
  psFormat?: string;
  imagesFormat?: string;
  detachKeys?: string;
  currentContext?: string;
  credsStore?: string;
  [key: string]: unknown;
}

export function configDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return flag || env['DOCKER_CONFIG'] || join(homedir(), '.docker');
}

export function loadConfig(dir: string): ConfigFile {
  try {
    return JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as ConfigFile;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`loading config file: ${join(dir, 'config.json')}: ${(e as Error).message}`);
  }
}

/** Atomic save (temp file + rename), mode 0600 because it holds credentials. */
export function saveConfig(dir: string, cfg: ConfigFile): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'config.json');
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(cfg, null, '\t') + '\n', { mode: 0o600 });
  renameSync(tmp, file);
}

/** The registry key docker uses in `auths` (Docker Hub has its historic URL). */
export function registryKey(server: string | undefined): string {
  if (!server || server === 'docker.io' || server === 'index.docker.io') return 'https://index.docker.io/v1/';
  return server.replace(/^https?:\/\//, '').replace(/\/+$/, '');
}

/** The X-Registry-Auth header value (base64url JSON) for a registry, if credentials exist. */
export function registryAuthHeader(cfg: ConfigFile, server: string | undefined): string | undefined {
  const entry = cfg.auths?.[registryKey(server)];
  if (!entry?.auth) return undefined;
  const decoded = Buffer.from(entry.auth, 'base64').toString();
  const i = decoded.indexOf(':');
  const body = { username: decoded.slice(0, i), password: decoded.slice(i + 1), serveraddress: registryKey(server) };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}
