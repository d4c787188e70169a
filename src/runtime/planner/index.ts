/**
 * The planner: turns a validated OCI config (or an exec process) into the plan skiff-init runs.
 * Pure data in, data out — every decision about a container is made here, in TypeScript.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Process, Spec } from '../../oci/runtime-spec.js';
import { MS_BIND, MS_REC, MS_REMOUNT, MS_RDONLY, MS_SLAVE, propagationFlags } from '../mount-options.js';
import { CLONE, Op, type PlanOp } from '../plan/ops.js';
import { planDevices } from './devices.js';
import { bindsDev, planMounts, type CgroupMountSource } from './mounts.js';
import { NS_FLAG, NS_PROC_NAME, planNamespaces } from './namespaces.js';
import { planProcess } from './process.js';

export type { CgroupMountSource } from './mounts.js';
export { deviceCgroupRules } from './devices.js';

export interface ContainerPlanOptions {
  bundle: string;
  /** Directory holding the exec fifo; when set, the process waits for `start`. */
  execFifo?: { dir: string; name: string };
  consoleSocket?: string;
  /** cgroup.procs files the parent writes the child's pid into. */
  cgroupProcs: readonly string[];
  cgroupVersion: 1 | 2;
  cgroupMounts: readonly CgroupMountSource[];
  preserveFds?: number;
}

function idMap(maps: { containerID: number; hostID: number; size: number }[]): string {
  return maps.map((m) => `${m.containerID} ${m.hostID} ${m.size}\n`).join('');
}

export function planContainer(spec: Spec, opts: ContainerPlanOptions): PlanOp[] {
  const linux = spec.linux ?? {};
  const rootfs = resolve(opts.bundle, spec.root!.path);
  const ns = planNamespaces(linux.namespaces ?? []);
  const ops: PlanOp[] = [];

  if (opts.consoleSocket) ops.push({ op: Op.CONSOLE_SOCKET, args: [opts.consoleSocket] });
  if (opts.execFifo) ops.push({ op: Op.EXEC_FIFO, args: [opts.execFifo.dir, opts.execFifo.name] });
  ops.push(...ns.pre);
  for (const [k, v] of Object.entries(linux.timeOffsets ?? {})) {
    ops.push({ op: Op.WRITE_FILE, args: ['/proc/self/timens_offsets', `${k} ${v.secs ?? 0} ${v.nanosecs ?? 0}`] });
  }
  ops.push({ op: Op.CLONE, args: [ns.cloneFlags] });
  const newUserNs = (ns.cloneFlags & CLONE.NEWUSER) !== 0;
  if (newUserNs) {
    ops.push({ op: Op.UID_MAP, args: [idMap(linux.uidMappings ?? [])] });
    ops.push({ op: Op.GID_MAP, args: [idMap(linux.gidMappings ?? [])] });
  }
  // Joining a cgroup waits for an RCU grace period (milliseconds). Unless the child's first steps
  // need the join (a private cgroup namespace is rooted at the cgroup it is unshared in) or the
  // id maps (a new user namespace), the child builds the rootfs meanwhile and waits before exec.
  const overlapJoin = !newUserNs && opts.cgroupProcs.length > 0 && !ns.isNew('cgroup');
  if (overlapJoin) ops.push({ op: Op.RELEASE_CHILD, args: [] });
  for (const f of opts.cgroupProcs) ops.push({ op: Op.CGROUP_JOIN, args: [f] });

  ops.push({ op: Op.CHILD, args: [] });
  ops.push(...ns.child);
  // In a new user namespace the child starts unmapped; become its root before building the rootfs.
  if (newUserNs) ops.push({ op: Op.USER, args: [0, 0, 0] });
  if (spec.process?.oomScoreAdj !== undefined) ops.push({ op: Op.OOM_SCORE_ADJ, args: [spec.process.oomScoreAdj] });
  if (spec.hostname !== undefined && ns.has('uts')) ops.push({ op: Op.SETHOSTNAME, args: [spec.hostname] });
  if (spec.domainname !== undefined && ns.has('uts')) ops.push({ op: Op.SETDOMAINNAME, args: [spec.domainname] });

  const mountNs = ns.isNew('mount');
  if (mountNs) {
    const prop = linux.rootfsPropagation ? propagationFlags(linux.rootfsPropagation) ?? MS_SLAVE | MS_REC : MS_SLAVE | MS_REC;
    ops.push({ op: Op.MOUNT, args: ['', '/', '', prop, ''] });
    ops.push({ op: Op.MOUNT, args: [rootfs, rootfs, '', MS_BIND | MS_REC, ''] });
    const mounts = spec.mounts ?? [];
    ops.push(...planMounts({
      rootfs, bundle: opts.bundle, cgroupVersion: opts.cgroupVersion, cgroupMounts: opts.cgroupMounts,
      privateCgroupNs: ns.isNew('cgroup'),
    }, mounts));
    if (!bindsDev(mounts)) ops.push(...planDevices(rootfs, linux.devices ?? [], ns.has('user')));
    ops.push({ op: Op.PIVOT_ROOT, args: [rootfs] });
  } else {
    ops.push({ op: Op.CHROOT, args: [rootfs] });
  }
  for (const [k, v] of Object.entries(linux.sysctl ?? {})) {
    ops.push({ op: Op.WRITE_FILE, args: [join('/proc/sys', k.replaceAll('.', '/')), v] });
  }
  if (mountNs) {
    for (const p of linux.readonlyPaths ?? []) ops.push({ op: Op.READONLY_PATH, args: [p] });
    for (const p of linux.maskedPaths ?? []) ops.push({ op: Op.MASK_PATH, args: [p] });
    if (spec.root!.readonly) ops.push({ op: Op.MOUNT, args: ['', '/', '', MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC, ''] });
  }
  if (overlapJoin) ops.push({ op: Op.AWAIT_PARENT, args: [] });
  ops.push(...planProcess(spec.process!, {
    waitStart: opts.execFifo !== undefined,
    seccomp: linux.seccomp,
    setgroups: true,
    preserveFds: opts.preserveFds,
  }));
  return ops;
}

export interface ExecPlanOptions {
  /** The container's init pid, whose namespaces the new process joins. */
  pid: number;
  spec: Spec;
  cgroupProcs: readonly string[];
  consoleSocket?: string;
  preserveFds?: number;
}

/** A process joining a running container: its namespaces and cgroup, then the same process steps. */
export function planExec(process: Process, opts: ExecPlanOptions): PlanOp[] {
  const types = new Set((opts.spec.linux?.namespaces ?? []).map((n) => n.type));
  const nsPath = (t: keyof typeof NS_PROC_NAME) => `/proc/${opts.pid}/ns/${NS_PROC_NAME[t]}`;
  const ops: PlanOp[] = [];
  if (opts.consoleSocket) ops.push({ op: Op.CONSOLE_SOCKET, args: [opts.consoleSocket] });
  for (const t of ['pid', 'time'] as const) {
    if (types.has(t) && existsSync(nsPath(t))) ops.push({ op: Op.SETNS, args: [nsPath(t), NS_FLAG[t]] });
  }
  ops.push({ op: Op.CLONE, args: [0] });
  // As for a container: the child joins the namespaces while the parent joins the cgroups.
  const overlapJoin = opts.cgroupProcs.length > 0;
  if (overlapJoin) ops.push({ op: Op.RELEASE_CHILD, args: [] });
  for (const f of opts.cgroupProcs) ops.push({ op: Op.CGROUP_JOIN, args: [f] });
  ops.push({ op: Op.CHILD, args: [] });
  for (const t of ['user', 'ipc', 'uts', 'network', 'cgroup', 'mount'] as const) {
    if (types.has(t)) ops.push({ op: Op.SETNS, args: [nsPath(t), NS_FLAG[t]] });
  }
  if (!types.has('mount')) ops.push({ op: Op.CHROOT, args: [`/proc/${opts.pid}/root`] });
  if (overlapJoin) ops.push({ op: Op.AWAIT_PARENT, args: [] });
  ops.push(...planProcess(process, {
    waitStart: false,
    seccomp: opts.spec.linux?.seccomp,
    setgroups: true,
    preserveFds: opts.preserveFds,
  }));
  return ops;
}
