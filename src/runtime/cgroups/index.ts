/**
 * Cgroups for Skiff's OCI runtime: one manager interface over cgroup v1 and v2.
 *
 * A cgroup groups processes so the kernel can limit and account their resources. v1 has one
 * hierarchy per controller (memory, cpu, …), so a container's cgroup is one directory in each;
 * v2 has a single hierarchy where a directory's enabled controllers come from its parent's
 * cgroup.subtree_control. The runtime calls, in a container's life:
 *
 *   const cg = openCgroup(detectCgroupLayout(), spec.linux.cgroupsPath ?? defaultCgroupsPath(id));
 *   await cg.create(spec.linux.resources);   // directories + limits, before the process exists
 *   plan.cgroupProcs = cg.procsFiles();      // the C executor writes its pid into each
 *   await cg.freeze(); await cg.thaw();      // pause / resume
 *   await cg.pids(); await cg.stats();       // runc ps, docker stats
 *   await cg.update(resources);              // docker update
 *   await cg.killAll(); await cg.destroy();  // delete
 *
 * Managers keep no state beyond the resolved directories, so a manager can be re-opened from
 * the cgroupsPath at any time (after a daemon restart, from `skiff-runc kill`).
 *
 * Not done here: talking to systemd (systemd-form paths are created on the cgroupfs directly),
 * and on v1 updating device rules without a brief deny-all window (see v1/devices.ts).
 */
import type { LinuxResources } from '../../oci/runtime-spec.js';
import type { CgroupLayout } from './layout.js';
import { parseCgroupsPath } from './paths.js';
import type { CgroupStats } from './stats.js';
import { V1Manager } from './v1/manager.js';
import { V2Manager } from './v2/manager.js';

export { detectCgroupLayout, parseCgroupLayout } from './layout.js';
export type { CgroupLayout } from './layout.js';
export { defaultCgroupsPath, parseCgroupsPath } from './paths.js';
export type { CgroupsPath } from './paths.js';
export type { BlkioEntry, BlkioStats, CgroupStats, CpuStats, MemoryStats, PidsStats } from './stats.js';

/** A bind mount the planner puts under the container's /sys/fs/cgroup. */
export interface CgroupMount {
  /** v1: the hierarchy's mount name ("memory", "cpu,cpuacct", "systemd"); v2: "". */
  controllers: string;
  /** The container's cgroup directory on the host. */
  hostPath: string;
}

export interface CgroupManager {
  readonly version: 1 | 2;
  /** The normalised cgroupsPath ("/skiff/<id>"; "a/b" when relative). */
  readonly path: string;
  /**
   * Creates the cgroup (every v1 hierarchy, or the v2 directory with controllers enabled on the
   * way down) and applies `resources`. On failure nothing is left behind. Joining an existing
   * cgroup is allowed.
   */
  create(resources?: LinuxResources): Promise<void>;
  /** Absolute cgroup.procs paths, one per hierarchy, that the executor writes the pid into. */
  procsFiles(): string[];
  /** v1: one entry per hierarchy; v2: a single entry. */
  containerMounts(): CgroupMount[];
  /** Applies `resources` to an existing cgroup; fields left out are left unchanged. */
  update(resources: LinuxResources): Promise<void>;
  /** Stops every task; resolves once the kernel reports the group frozen. */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  frozen(): Promise<boolean>;
  /** Pids in the cgroup and its descendants, sorted. */
  pids(): Promise<number[]>;
  stats(): Promise<CgroupStats>;
  /** OOM kills the kernel counted in this cgroup. */
  oomKillCount(): Promise<number>;
  /** Signals every task (default SIGKILL): v2 cgroup.kill when present, else freeze, signal, thaw. */
  killAll(signal?: NodeJS.Signals): Promise<void>;
  /** Removes the cgroup (and any child cgroups) everywhere; idempotent; retries while tasks exit. */
  destroy(): Promise<void>;
}

/** Resolves `cgroupsPath` (absolute, relative or systemd form) into a manager for the host. */
export function openCgroup(layout: CgroupLayout, cgroupsPath: string): CgroupManager {
  const parsed = parseCgroupsPath(cgroupsPath);
  return layout.version === 1 ? new V1Manager(layout, parsed) : new V2Manager(layout, parsed);
}
