/**
 * Persisted network state under data-root: `network/networks/<id>.json` (the network with its
 * IPAM table) and `network/sandboxes/<container id>.json` (a container's namespace, endpoints,
 * ports, DNS settings). Every write is atomic (temp file, fsync, rename), so a crash leaves the
 * old or the new record; unreadable leftovers are skipped at load rather than failing startup.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../common/atomic-file.js';
import type { NetworkRecord, SandboxRecord } from './types.js';

export class NetworkStore {
  readonly networksDir: string;
  readonly sandboxesDir: string;
  private readonly chains = new Map<string, Promise<void>>();

  constructor(dataRoot: string) {
    this.networksDir = join(dataRoot, 'network', 'networks');
    this.sandboxesDir = join(dataRoot, 'network', 'sandboxes');
    mkdirSync(this.networksDir, { recursive: true, mode: 0o700 });
    mkdirSync(this.sandboxesDir, { recursive: true, mode: 0o700 });
  }

  private static loadDir<T>(dir: string): T[] {
    const out: T[] = [];
    for (const f of readdirSync(dir)) {
      if (!f.endsWith('.json') || f.startsWith('.')) continue;
      try {
        out.push(JSON.parse(readFileSync(join(dir, f), 'utf8')) as T);
      } catch { /* torn or foreign file: ignore, the atomic writer never leaves one */ }
    }
    return out;
  }

  loadNetworks(): NetworkRecord[] {
    return NetworkStore.loadDir<NetworkRecord>(this.networksDir);
  }

  loadSandboxes(): SandboxRecord[] {
    return NetworkStore.loadDir<SandboxRecord>(this.sandboxesDir);
  }

  /**
   * Writes of one file are chained: two concurrent atomic writes could rename in either order
   * and leave the older content. The snapshot is taken now, at call time.
   */
  private write(path: string, value: unknown | undefined): Promise<void> {
    const snapshot = value === undefined ? undefined : JSON.parse(JSON.stringify(value)) as unknown;
    const prev = this.chains.get(path) ?? Promise.resolve();
    const next = prev.then(async () => {
      if (snapshot !== undefined) await writeJsonAtomic(path, snapshot, 0o600);
      else await unlink(path).catch(() => undefined);
    });
    const tail = next.catch(() => undefined);
    this.chains.set(path, tail);
    void tail.then(() => { if (this.chains.get(path) === tail) this.chains.delete(path); });
    return next;
  }

  saveNetwork(n: NetworkRecord): Promise<void> {
    return this.write(join(this.networksDir, `${n.id}.json`), n);
  }

  saveSandbox(s: SandboxRecord): Promise<void> {
    return this.write(join(this.sandboxesDir, `${s.containerId}.json`), s);
  }

  /** Deletion is chained behind pending writes, so a late rename cannot bring the file back. */
  deleteNetwork(id: string): Promise<void> {
    return this.write(join(this.networksDir, `${id}.json`), undefined);
  }

  deleteSandbox(containerId: string): Promise<void> {
    return this.write(join(this.sandboxesDir, `${containerId}.json`), undefined);
  }
}
