/**
 * Docker's context store, read and written in its own layout so `docker context` and
 * `skiff context` share it: `contexts/meta/<sha256(name)>/meta.json` and TLS material under
 * `contexts/tls/<sha256(name)>/docker/`. `default` is never stored: it is synthesised from
 * DOCKER_HOST / -H and the TLS flags.
 */
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ContextMeta {
  Name: string;
  Metadata: { Description?: string; [k: string]: unknown };
  Endpoints: { docker?: { Host?: string; SkipTLSVerify?: boolean } };
}

export const DEFAULT_CONTEXT = 'default';
const VALID_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$/;

// node:crypto costs milliseconds of start-up; most runs never open the store, so load it on use.
const lazyRequire = createRequire(import.meta.url);
export const contextDirName = (name: string): string =>
  (lazyRequire('node:crypto') as typeof import('node:crypto')).createHash('sha256').update(name).digest('hex');

export class ContextStore {
  constructor(private readonly configDir: string) {}

  private metaDir(name: string): string {
    return join(this.configDir, 'contexts', 'meta', contextDirName(name));
  }

  tlsDir(name: string): string {
    return join(this.configDir, 'contexts', 'tls', contextDirName(name), 'docker');
  }

  list(): ContextMeta[] {
    const root = join(this.configDir, 'contexts', 'meta');
    if (!existsSync(root)) return [];
    const out: ContextMeta[] = [];
    for (const d of readdirSync(root)) {
      try {
        out.push(JSON.parse(readFileSync(join(root, d, 'meta.json'), 'utf8')) as ContextMeta);
      } catch {
        // a half-written or foreign directory: docker skips it too
      }
    }
    return out.sort((a, b) => a.Name.localeCompare(b.Name));
  }

  get(name: string): ContextMeta {
    try {
      return JSON.parse(readFileSync(join(this.metaDir(name), 'meta.json'), 'utf8')) as ContextMeta;
    } catch {
      throw new Error(`context "${name}": context not found: open ${join(this.metaDir(name), 'meta.json')}: no such file or directory`);
    }
  }

  exists(name: string): boolean {
    return existsSync(join(this.metaDir(name), 'meta.json'));
  }

  create(meta: ContextMeta): void {
    if (!VALID_NAME.test(meta.Name)) {
      throw new Error(`context name "${meta.Name}" is invalid, names are validated against regexp "${VALID_NAME.source}"`);
    }
    if (meta.Name === DEFAULT_CONTEXT) throw new Error(`"default" is a reserved context name`);
    if (this.exists(meta.Name)) throw new Error(`context "${meta.Name}" already exists`);
    this.save(meta);
  }

  /** Writes meta.json atomically (docker's CreateOrUpdate). */
  save(meta: ContextMeta): void {
    const dir = this.metaDir(meta.Name);
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    const tmp = join(dir, `.meta.json.${process.pid}`);
    writeFileSync(tmp, JSON.stringify(meta), { mode: 0o644 });
    renameSync(tmp, join(dir, 'meta.json'));
  }

  /** TLS files per endpoint: `{ docker: { 'ca.pem': <bytes>, … } }`. */
  tlsFiles(name: string): Record<string, Record<string, Buffer>> {
    const root = join(this.configDir, 'contexts', 'tls', contextDirName(name));
    const out: Record<string, Record<string, Buffer>> = {};
    if (!existsSync(root)) return out;
    for (const ep of readdirSync(root)) {
      out[ep] = {};
      for (const f of readdirSync(join(root, ep))) out[ep]![f] = readFileSync(join(root, ep, f));
    }
    return out;
  }

  /** Replaces an endpoint's TLS files (none: removes them), files 0600 in 0700 dirs as docker. */
  setTLS(name: string, endpoint: string, files: Record<string, Buffer> | undefined): void {
    const dir = join(this.configDir, 'contexts', 'tls', contextDirName(name), endpoint);
    rmSync(dir, { recursive: true, force: true });
    if (!files || Object.keys(files).length === 0) return;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const [f, data] of Object.entries(files)) writeFileSync(join(dir, f), data, { mode: 0o600 });
  }

  remove(name: string): void {
    if (!this.exists(name)) throw new Error(`context "${name}" does not exist`);
    rmSync(this.metaDir(name), { recursive: true, force: true });
    rmSync(join(this.configDir, 'contexts', 'tls', contextDirName(name)), { recursive: true, force: true });
  }
}
