/**
 * Registry credentials as the docker CLI keeps them: `$DOCKER_CONFIG/config.json` (default
 * `~/.docker/config.json`) with `auths` entries (base64 `auth` of `user:password`, or separate
 * fields, or an `identitytoken`), `credHelpers` per registry and a default `credsStore`, both
 * naming a `docker-credential-<name>` program that answers `get` with JSON. `DOCKER_AUTH_CONFIG`
 * (same shape as the file's `auths`) is consulted first.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { invalidArgument, unavailable } from '../../common/errors.js';
import { DOCKER_HUB_AUTH_KEY } from './hosts.js';

export interface AuthConfig {
  username?: string;
  password?: string;
  /** A refresh token for the OAuth2 token endpoint (Docker's `identitytoken`). */
  identityToken?: string;
  /** A bearer token sent as is (Docker's `registrytoken`). */
  registryToken?: string;
}

/** Where a client gets credentials for a server address (`host[:port]`, or Docker Hub's key). */
export interface CredentialStore {
  get(serverAddress: string): Promise<AuthConfig | undefined>;
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

export interface DockerConfigFile {
  auths?: Record<string, AuthEntry>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
  [key: string]: unknown;
}

/** Fixed credentials, e.g. decoded from an `X-Registry-Auth` header for one request. */
export class StaticCredentials implements CredentialStore {
  readonly #byServer: Map<string, AuthConfig>;
  constructor(byServer: Record<string, AuthConfig> = {}) {
    this.#byServer = new Map(Object.entries(byServer).map(([k, v]) => [convertToHostname(k), v]));
  }
  async get(serverAddress: string): Promise<AuthConfig | undefined> {
    return this.#byServer.get(convertToHostname(serverAddress));
  }
}

/** `https://host:port/v1/` → `host:port`, as docker/cli compares auth keys. */
export function convertToHostname(address: string): string {
  let s = address.replace(/^https?:\/\//, '');
  s = s.split('/')[0] ?? s;
  // All spellings of Docker Hub share one key.
  if (s === 'index.docker.io' || s === 'docker.io' || s === 'registry-1.docker.io') return 'index.docker.io';
  return s;
}

export function dockerConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['DOCKER_CONFIG'] || join(homedir(), '.docker');
}

export async function loadDockerConfig(dir: string): Promise<DockerConfigFile> {
  let text: string;
  try {
    text = await readFile(join(dir, 'config.json'), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw e;
  }
  try {
    return JSON.parse(text) as DockerConfigFile;
  } catch (e) {
    throw invalidArgument(`loading config file ${join(dir, 'config.json')}: ${(e as Error).message}`, e);
  }
}

function decodeEntry(entry: AuthEntry, key: string): AuthConfig {
  const out: AuthConfig = {};
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i <= 0) throw invalidArgument(`invalid auth configuration file: bad auth for ${key}`);
    out.username = decoded.slice(0, i);
    out.password = decoded.slice(i + 1).replace(/\0+$/, '');
  } else {
    if (entry.username) out.username = entry.username;
    if (entry.password) out.password = entry.password;
  }
  if (entry.identitytoken) out.identityToken = entry.identitytoken;
  if (entry.registrytoken) out.registryToken = entry.registrytoken;
  return out;
}

function findEntry(auths: Record<string, AuthEntry> | undefined, serverAddress: string): [string, AuthEntry] | undefined {
  if (auths === undefined) return undefined;
  if (auths[serverAddress] !== undefined) return [serverAddress, auths[serverAddress]];
  const want = convertToHostname(serverAddress);
  return Object.entries(auths).find(([k]) => convertToHostname(k) === want);
}

/** Runs `docker-credential-<helper> <action>` with `input` on stdin; resolves stdout. */
export function runCredentialHelper(helper: string, action: string, input: string, timeoutMs = 30_000): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const program = `docker-credential-${helper}`;
    const child = spawn(program, [action], { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
    const out: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => out.push(c));
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(unavailable(e.code === 'ENOENT' ? `exec: "${program}": executable file not found in $PATH` : `${program}: ${e.message}`, e));
    });
    child.on('close', (code) => resolve({ code: code ?? -1, out: Buffer.concat(out).toString('utf8') }));
    child.stdin.on('error', () => undefined); // a helper that exits early closes its stdin
    child.stdin.end(input);
  });
}

async function fromHelper(helper: string, serverAddress: string): Promise<AuthConfig | undefined> {
  const { code, out } = await runCredentialHelper(helper, 'get', serverAddress);
  if (code !== 0) {
    if (/credentials not found/i.test(out)) return undefined;
    throw unavailable(`error getting credentials - err: exit status ${code}, out: \`${out.trim()}\``);
  }
  let parsed: { Username?: string; Secret?: string };
  try {
    parsed = JSON.parse(out) as { Username?: string; Secret?: string };
  } catch {
    throw unavailable(`error getting credentials - err: invalid JSON from docker-credential-${helper}`);
  }
  if (!parsed.Secret) return undefined;
  // docker/cli stores identity tokens under this placeholder user name.
  if (parsed.Username === '<token>') return { identityToken: parsed.Secret };
  return { username: parsed.Username ?? '', password: parsed.Secret };
}

/** Credentials from the docker CLI's config, read afresh on every lookup so logins show up. */
export class DockerConfigCredentials implements CredentialStore {
  readonly #dir: string;
  readonly #env: NodeJS.ProcessEnv;

  constructor(opts: { configDir?: string; env?: NodeJS.ProcessEnv } = {}) {
    this.#env = opts.env ?? process.env;
    this.#dir = opts.configDir ?? dockerConfigDir(this.#env);
  }

  get configDir(): string {
    return this.#dir;
  }

  async get(serverAddress: string): Promise<AuthConfig | undefined> {
    const envConfig = this.#env['DOCKER_AUTH_CONFIG'];
    if (envConfig) {
      let parsed: DockerConfigFile;
      try {
        parsed = JSON.parse(envConfig) as DockerConfigFile;
      } catch (e) {
        throw invalidArgument(`invalid DOCKER_AUTH_CONFIG: ${(e as Error).message}`, e);
      }
      const hit = findEntry(parsed.auths, serverAddress);
      if (hit !== undefined && hit[1].auth) return decodeEntry({ auth: hit[1].auth }, hit[0]);
    }
    const cfg = await loadDockerConfig(this.#dir);
    const helper = cfg.credHelpers?.[serverAddress]
      ?? Object.entries(cfg.credHelpers ?? {}).find(([k]) => convertToHostname(k) === convertToHostname(serverAddress))?.[1]
      ?? cfg.credsStore;
    if (helper) return fromHelper(helper, serverAddress);
    const hit = findEntry(cfg.auths, serverAddress);
    if (hit === undefined) return undefined;
    const auth = decodeEntry(hit[1], hit[0]);
    return Object.keys(auth).length > 0 ? auth : undefined;
  }
}

export { DOCKER_HUB_AUTH_KEY };
