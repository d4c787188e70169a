/**
 * The cgroup v1 manager: the container's cgroup is one directory per hierarchy. On a hybrid host
 * the controller-less cgroup2 hierarchy is joined as well (as runc does), so systemd and v2-aware
 * tools see the container; it carries no limits.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { failedPrecondition } from '../../../common/errors.js';
import type { LinuxResources } from '../../../oci/runtime-spec.js';
import { applyWrites, dirProbe, listPids, removeCgroupTree, signalAll } from '../fs.js';
import type { CgroupManager, CgroupMount } from '../index.js';
import { v1Hierarchies, type CgroupLayout } from '../layout.js';
import { cgroupDir, type CgroupsPath } from '../paths.js';
import type { CgroupStats } from '../stats.js';
import { controllerOf } from '../write.js';
import { blkioStats } from './blkio.js';
import { cpuStats } from './cpu.js';
import { mkdirCpuset } from './cpuset.js';
import * as freezer from './freezer.js';
import { memoryStats, oomKills } from './memory.js';
import { pidsStats } from './pids.js';
import { v1Writes } from './resources.js';

interface Hierarchy {
  mountpoint: string;
  /** Controllers in this hierarchy; [] for the hybrid host's cgroup2 mount. */
  controllers: string[];
  /** The container's cgroup directory in it. */
  dir: string;
}

export class V1Manager implements CgroupManager {
  readonly version = 1 as const;
  readonly path: string;
  private readonly hierarchies: Hierarchy[];
  private readonly byController = new Map<string, string>();

  constructor(layout: CgroupLayout, parsed: CgroupsPath) {
    this.path = parsed.path;
    // Named hierarchies other than systemd's belong to other software.
    this.hierarchies = v1Hierarchies(layout)
      .filter((h) => h.controllers.some((c) => !c.startsWith('name=') || c === 'name=systemd'))
      .map((h) => ({ ...h, dir: cgroupDir(layout, h.mountpoint, h.controllers[0]!, parsed) }));
    if (layout.unified !== undefined) {
      this.hierarchies.push({ mountpoint: layout.unified, controllers: [], dir: cgroupDir(layout, layout.unified, '', parsed) });
    }
    for (const h of this.hierarchies) for (const c of h.controllers) this.byController.set(c, h.dir);
  }

  private readonly dirFor = (file: string): string | undefined => this.byController.get(controllerOf(file));

  private need(controller: string, what: string): string {
    const dir = this.byController.get(controller);
    if (dir === undefined) throw failedPrecondition(`cannot ${what}: the ${controller} cgroup controller is not mounted`);
    return dir;
  }

  async create(resources?: LinuxResources): Promise<void> {
    // The outermost directory created in each hierarchy: a rollback removes exactly what this
    // call made, never a pre-existing cgroup that was being joined.
    const created: string[] = [];
    try {
      for (const h of this.hierarchies) {
        const first = h.controllers.includes('cpuset')
          ? (await mkdirCpuset(h.mountpoint, h.dir))[0]
          : mkdirSync(h.dir, { recursive: true });
        if (first !== undefined) created.push(first);
      }
      if (resources) await this.update(resources);
    } catch (e) {
      for (const dir of created) await removeCgroupTree(dir).catch(() => undefined);
      throw e;
    }
  }

  procsFiles(): string[] {
    return this.hierarchies.map((h) => join(h.dir, 'cgroup.procs'));
  }

  containerMounts(): CgroupMount[] {
    return this.hierarchies
      .filter((h) => h.controllers.length > 0)
      .map((h) => ({ controllers: h.controllers.map((c) => c.replace(/^name=/, '')).join(','), hostPath: h.dir }));
  }

  async update(resources: LinuxResources): Promise<void> {
    await applyWrites(v1Writes(resources, dirProbe(this.dirFor)), this.dirFor);
  }

  async freeze(): Promise<void> {
    await freezer.freeze(this.need('freezer', 'pause'));
  }

  async thaw(): Promise<void> {
    await freezer.thaw(this.need('freezer', 'resume'));
  }

  async frozen(): Promise<boolean> {
    const dir = this.byController.get('freezer');
    return dir !== undefined && freezer.isFrozen(dir);
  }

  async pids(): Promise<number[]> {
    // Any hierarchy holds every task; prefer ones where tasks cannot be moved out by others.
    const dir = ['pids', 'freezer', 'memory', 'devices'].map((c) => this.byController.get(c)).find((d) => d !== undefined)
      ?? this.hierarchies[0]?.dir;
    return dir === undefined ? [] : listPids(dir);
  }

  async stats(): Promise<CgroupStats> {
    const dir = (c: string) => this.byController.get(c);
    const memDir = dir('memory');
    const [cpu, memory, pids, blkio] = await Promise.all([
      cpuStats(dir('cpuacct'), dir('cpu')),
      memDir ? memoryStats(memDir) : Promise.resolve({ usage: 0, maxUsage: 0, failcnt: 0, stat: {} }),
      pidsStats(dir('pids')),
      blkioStats(dir('blkio')),
    ]);
    return { cpu, memory, pids, blkio };
  }

  async oomKillCount(): Promise<number> {
    const dir = this.byController.get('memory');
    return dir === undefined ? 0 : oomKills(dir);
  }

  async killAll(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const freezerDir = this.byController.get('freezer');
    if (freezerDir === undefined || !existsSync(freezerDir)) {
      signalAll(await this.pids(), signal);
      return;
    }
    // Freezing first stops tasks from forking between the listing and the signal. A paused
    // container stays paused unless it must run to die (SIGKILL is acted on only once thawed).
    const wasFrozen = await freezer.isFrozen(freezerDir);
    if (!wasFrozen) await freezer.freeze(freezerDir);
    try {
      signalAll(await this.pids(), signal);
    } finally {
      if (!wasFrozen || signal === 'SIGKILL') await freezer.thaw(freezerDir);
    }
  }

  async destroy(): Promise<void> {
    const errors: unknown[] = [];
    for (const h of this.hierarchies) {
      try { await removeCgroupTree(h.dir); } catch (e) { errors.push(e); }
    }
    if (errors.length > 0) throw errors[0];
  }
}
