/**
 * The runtime's state directory (`--root`, default /run/skiff-runc): one directory per container
 * with state.json (written atomically before the process exists, so no container is ever
 * without state) and, between create and start, the exec fifo. The status is derived from the
 * kernel each time, as runc does: a dead or recycled pid is stopped, a present fifo is created,
 * a frozen cgroup is paused.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerStatus, Spec } from '../../oci/runtime-spec.js';
import { writeJsonAtomicSync } from '../../common/atomic-file.js';
import { invalidArgument, notFound, alreadyExists } from '../../common/errors.js';
import { detectCgroupLayout, openCgroup, type CgroupManager } from '../cgroups/index.js';

export const DEFAULT_ROOT = '/run/skiff-runc';
export const FIFO_NAME = 'exec.fifo';

export interface ContainerRecord {
  id: string;
  bundle: string;
  rootfs: string;
  pid: number;
  /** Field 22 of /proc/<pid>/stat, to tell our process from a recycled pid. */
  pidStartTime: string;
  created: string;
  cgroupsPath: string;
  owner: string;
  annotations?: Record<string, string>;
  config: Spec;
}

const ID_RE = /^[\w+\-.]+$/;

export function validateId(id: string | undefined): string {
  if (!id) throw invalidArgument('container id cannot be empty');
  if (!ID_RE.test(id) || id === '.' || id === '..') throw invalidArgument(`invalid container id format: ${id}`);
  return id;
}

export function procStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
    return fields[19];
  } catch {
    return undefined;
  }
}

export class StateStore {
  constructor(readonly root: string = DEFAULT_ROOT) {}

  dir(id: string): string {
    return join(this.root, id);
  }

  fifo(id: string): string {
    return join(this.dir(id), FIFO_NAME);
  }

  /** Reserves the directory for a new container; fails if the id is taken. */
  reserve(id: string): string {
    mkdirSync(this.root, { recursive: true, mode: 0o711 });
    const dir = this.dir(id);
    try {
      mkdirSync(dir, { mode: 0o711 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw alreadyExists(`container with id exists: ${id}`);
      throw e;
    }
    return dir;
  }

  save(rec: ContainerRecord): void {
    writeJsonAtomicSync(join(this.dir(rec.id), 'state.json'), rec, 0o600);
  }

  load(id: string): ContainerRecord {
    validateId(id);
    try {
      return JSON.parse(readFileSync(join(this.dir(id), 'state.json'), 'utf8')) as ContainerRecord;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw notFound('container', id);
      throw e;
    }
  }

  exists(id: string): boolean {
    return existsSync(join(this.dir(id), 'state.json'));
  }

  list(): ContainerRecord[] {
    let names: string[];
    try {
      names = readdirSync(this.root);
    } catch {
      return [];
    }
    const out: ContainerRecord[] = [];
    for (const n of names.sort()) {
      try {
        if (statSync(this.dir(n)).isDirectory() && this.exists(n)) out.push(this.load(n));
      } catch {
        /* a container being deleted concurrently */
      }
    }
    return out;
  }

  remove(id: string): void {
    rmSync(this.dir(id), { recursive: true, force: true });
  }

  cgroup(rec: ContainerRecord): CgroupManager {
    return openCgroup(detectCgroupLayout(), rec.cgroupsPath);
  }

  /** skiff-init writes the pid here before the process runs; state.json may not have it yet. */
  pidFile(id: string): string {
    return join(this.dir(id), 'init.pid');
  }

  /** Fills in a pid that skiff-init reported to the file but not yet to state.json. */
  private resolvePid(rec: ContainerRecord): void {
    if (rec.pid > 0) return;
    try {
      const pid = Number(readFileSync(this.pidFile(rec.id), 'utf8').trim());
      if (pid > 0) {
        rec.pid = pid;
        rec.pidStartTime = procStartTime(pid) ?? '';
      }
    } catch { /* not written yet */ }
  }

  isAlive(rec: ContainerRecord): boolean {
    this.resolvePid(rec);
    return rec.pid > 0 && procStartTime(rec.pid) === rec.pidStartTime;
  }

  async status(rec: ContainerRecord): Promise<ContainerStatus> {
    this.resolvePid(rec);
    if (rec.pid === 0) return existsSync(this.fifo(rec.id)) ? 'creating' : 'stopped';
    if (!this.isAlive(rec)) return 'stopped';
    if (existsSync(this.fifo(rec.id))) return 'created';
    try {
      if (await this.cgroup(rec).frozen()) return 'paused';
    } catch {
      /* no freezer: cannot be paused */
    }
    return 'running';
  }
}
