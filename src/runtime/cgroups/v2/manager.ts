/**
 * The cgroup v2 manager: one directory in the unified hierarchy. A controller's files appear in
 * a directory only when its parent lists it in cgroup.subtree_control, so creation walks down
 * from the mountpoint enabling the controllers each level offers, as runc does. The leaf itself
 * enables nothing: v2's "no internal processes" rule forbids a cgroup with member processes from
 * distributing controllers to children.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { LinuxResources } from '../../../oci/runtime-spec.js';
import { applyWrites, dirProbe, listPids, readCgroupFile, removeCgroupTree, signalAll, writeCgroupFile } from '../fs.js';
import type { CgroupManager, CgroupMount } from '../index.js';
import type { CgroupLayout } from '../layout.js';
import { cgroupDir, type CgroupsPath } from '../paths.js';
import type { CgroupStats } from '../stats.js';
import { pidsStats } from '../v1/pids.js';
import { cpuStats } from './cpu.js';
import { applyDeviceRules } from './devices.js';
import * as freezer from './freezer.js';
import { ioStats } from './io.js';
import { memoryStats, oomKills } from './memory.js';
import { v2Writes } from './resources.js';

/** Controllers a container cgroup gets when its parents offer them. */
const WANTED = ['cpuset', 'cpu', 'io', 'memory', 'hugetlb', 'pids', 'rdma', 'misc'];

/** Enables in `dir`'s children every wanted controller `dir` has; one by one if a batch fails. */
async function enableControllers(dir: string): Promise<void> {
  const available = ((await readCgroupFile(join(dir, 'cgroup.controllers'))) ?? '').split(/\s+/);
  const enabled = new Set(((await readCgroupFile(join(dir, 'cgroup.subtree_control'))) ?? '').split(/\s+/));
  const missing = WANTED.filter((c) => available.includes(c) && !enabled.has(c));
  if (missing.length === 0) return;
  const file = join(dir, 'cgroup.subtree_control');
  try {
    await writeCgroupFile(file, missing.map((c) => `+${c}`).join(' '));
  } catch {
    // A controller can be refused (e.g. cpu while real-time tasks sit in the subtree); the
    // others are still worth having, and a limit needing the refused one fails clearly later.
    for (const c of missing) await writeCgroupFile(file, `+${c}`).catch(() => undefined);
  }
}

export class V2Manager implements CgroupManager {
  readonly version = 2 as const;
  readonly path: string;
  private readonly mountpoint: string;
  private readonly dir: string;

  constructor(layout: CgroupLayout, parsed: CgroupsPath) {
    this.path = parsed.path;
    this.mountpoint = layout.unified!;
    this.dir = cgroupDir(layout, this.mountpoint, '', parsed);
  }

  private readonly dirFor = (): string => this.dir;

  async create(resources?: LinuxResources): Promise<void> {
    // The outermost directory this call made: a rollback removes only that (and below), never
    // a pre-existing cgroup that was being joined.
    let created: string | undefined;
    try {
      let current = this.mountpoint;
      for (const segment of posix.relative(this.mountpoint, this.dir).split('/')) {
        await enableControllers(current);
        current = join(current, segment);
        const made = mkdirSync(current, { recursive: true });
        created ??= made;
      }
      if (resources) await this.update(resources);
    } catch (e) {
      if (created !== undefined) await removeCgroupTree(created).catch(() => undefined);
      throw e;
    }
  }

  procsFiles(): string[] {
    return [join(this.dir, 'cgroup.procs')];
  }

  containerMounts(): CgroupMount[] {
    return [{ controllers: '', hostPath: this.dir }];
  }

  async update(resources: LinuxResources): Promise<void> {
    await applyWrites(v2Writes(resources, dirProbe(this.dirFor)), this.dirFor);
    if (resources.devices && resources.devices.length > 0) applyDeviceRules(this.dir, resources.devices);
  }

  freeze(): Promise<void> {
    return freezer.freeze(this.dir);
  }

  thaw(): Promise<void> {
    return freezer.thaw(this.dir);
  }

  frozen(): Promise<boolean> {
    return freezer.isFrozen(this.dir);
  }

  pids(): Promise<number[]> {
    return listPids(this.dir);
  }

  async stats(): Promise<CgroupStats> {
    const hasMemory = existsSync(join(this.dir, 'memory.current'));
    const [cpu, memory, pids, blkio] = await Promise.all([
      cpuStats(this.dir),
      hasMemory ? memoryStats(this.dir) : Promise.resolve({ usage: 0, maxUsage: 0, failcnt: 0, stat: {} }),
      pidsStats(existsSync(join(this.dir, 'pids.current')) ? this.dir : undefined),
      ioStats(this.dir),
    ]);
    return { cpu, memory, pids, blkio };
  }

  oomKillCount(): Promise<number> {
    return oomKills(this.dir);
  }

  async killAll(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!existsSync(this.dir)) return;
    // cgroup.kill (Linux 5.14) kills the whole subtree atomically, forks in flight included.
    if (signal === 'SIGKILL' && existsSync(join(this.dir, 'cgroup.kill'))) {
      await writeCgroupFile(join(this.dir, 'cgroup.kill'), '1');
      return;
    }
    if (!existsSync(join(this.dir, 'cgroup.freeze'))) {
      signalAll(await this.pids(), signal);
      return;
    }
    const wasFrozen = await freezer.isFrozen(this.dir);
    if (!wasFrozen) await freezer.freeze(this.dir);
    try {
      signalAll(await this.pids(), signal);
    } finally {
      if (!wasFrozen || signal === 'SIGKILL') await freezer.thaw(this.dir);
    }
  }

  destroy(): Promise<void> {
    return removeCgroupTree(this.dir);
  }
}
