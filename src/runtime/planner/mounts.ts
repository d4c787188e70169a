/**
 * The config's mounts, in order, as mount steps inside the rootfs. Bind mounts need a second
 * mount(2) to apply flags (the kernel ignores them on the first), and one call per propagation
 * change. The cgroup mount is synthesised: on v1 a tmpfs with one bind per hierarchy (the
 * container's own cgroup), on v2 a cgroup2 mount (private cgroupns) or a bind of its cgroup.
 */
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Mount } from '../../oci/runtime-spec.js';
import { invalidArgument } from '../../common/errors.js';
import {
  MS_BIND, MS_REC, MS_REMOUNT, MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, parseMountOptions,
  MOUNT_ATTR_RDONLY, MOUNT_ATTR_NOSUID, MOUNT_ATTR_NODEV, MOUNT_ATTR_NOEXEC,
} from '../mount-options.js';
import { Create, Op, type PlanOp } from '../plan/ops.js';
import type { CgroupMount } from '../cgroups/index.js';

export type CgroupMountSource = CgroupMount;

export interface MountContext {
  rootfs: string;
  bundle: string;
  cgroupVersion: 1 | 2;
  cgroupMounts: readonly CgroupMountSource[];
  privateCgroupNs: boolean;
}

function inRoot(ctx: MountContext, dest: string, source: string, type: string, flags: number, data: string, create: number): PlanOp {
  return { op: Op.MOUNT_IN_ROOT, args: [ctx.rootfs, dest, source, type, flags, data, create] };
}

function bindMount(ctx: MountContext, m: Mount, flags: number, clear: number, data: string, propagation: number[]): PlanOp[] {
  const source = isAbsolute(m.source ?? '') ? m.source! : resolve(ctx.bundle, m.source ?? '');
  let st;
  try {
    st = statSync(source);
  } catch {
    throw invalidArgument(`mount ${m.destination}: bind source ${source} does not exist`);
  }
  const rec = flags & MS_REC;
  const ops = [inRoot(ctx, m.destination, source, '', MS_BIND | rec, data, st.isDirectory() ? Create.DIR : Create.FILE)];
  const extra = flags & ~(MS_BIND | MS_REC) & ~clear;
  if (extra) ops.push(inRoot(ctx, m.destination, '', '', MS_BIND | MS_REMOUNT | rec | extra, '', Create.NONE));
  for (const p of propagation) ops.push(inRoot(ctx, m.destination, '', '', p, '', Create.NONE));
  return ops;
}

function cgroupMount(ctx: MountContext, m: Mount, flags: number): PlanOp[] {
  const ro = flags & MS_RDONLY;
  const base = MS_NOSUID | MS_NODEV | MS_NOEXEC;
  if (ctx.cgroupVersion === 2) {
    if (ctx.privateCgroupNs) return [inRoot(ctx, m.destination, 'cgroup2', 'cgroup2', flags | base, '', Create.DIR)];
    const src = ctx.cgroupMounts[0];
    if (!src) return [];
    const ops = [inRoot(ctx, m.destination, src.hostPath, '', MS_BIND | MS_REC, '', Create.DIR)];
    ops.push(inRoot(ctx, m.destination, '', '', MS_BIND | MS_REMOUNT | MS_REC | base | ro, '', Create.NONE));
    return ops;
  }
  const ops: PlanOp[] = [inRoot(ctx, m.destination, 'tmpfs', 'tmpfs', base, 'mode=755', Create.DIR)];
  for (const c of ctx.cgroupMounts) {
    const dest = `${m.destination}/${c.controllers}`;
    ops.push(inRoot(ctx, dest, c.hostPath, '', MS_BIND | MS_REC, '', Create.DIR));
    ops.push(inRoot(ctx, dest, '', '', MS_BIND | MS_REMOUNT | MS_REC | base | ro, '', Create.NONE));
    const parts = c.controllers.split(',');
    if (parts.length > 1) {
      for (const p of parts) ops.push({ op: Op.SYMLINK, args: [ctx.rootfs, c.controllers, `${m.destination}/${p}`] });
    }
  }
  if (ro) ops.push(inRoot(ctx, m.destination, '', '', MS_BIND | MS_REMOUNT | base | MS_RDONLY, '', Create.NONE));
  return ops;
}

export function planMounts(ctx: MountContext, mounts: readonly Mount[]): PlanOp[] {
  const ops: PlanOp[] = [];
  for (const m of mounts) {
    const o = parseMountOptions(m.options ?? []);
    const type = m.type ?? '';
    if (type === 'cgroup' || type === 'cgroup2') {
      ops.push(...cgroupMount(ctx, m, o.flags));
    } else if (type === 'bind' || o.flags & MS_BIND) {
      // Recursive attributes (rro, rnosuid…) are applied to the top mount: mount_setattr is not
      // in the executor yet, so sub-mounts of an rbind keep their own flags.
      const rec = (o.recAttrSet & MOUNT_ATTR_RDONLY ? MS_RDONLY : 0) | (o.recAttrSet & MOUNT_ATTR_NOSUID ? MS_NOSUID : 0) |
        (o.recAttrSet & MOUNT_ATTR_NODEV ? MS_NODEV : 0) | (o.recAttrSet & MOUNT_ATTR_NOEXEC ? MS_NOEXEC : 0);
      ops.push(...bindMount(ctx, m, o.flags | MS_BIND | rec, o.clearFlags, o.data, o.propagation));
    } else {
      ops.push(inRoot(ctx, m.destination, m.source ?? type, type, o.flags, o.data, Create.DIR));
      for (const p of o.propagation) ops.push(inRoot(ctx, m.destination, '', '', p, '', Create.NONE));
    }
  }
  return ops;
}

/** Whether the config mounts its own /dev (then runc creates no devices). */
export function bindsDev(mounts: readonly Mount[]): boolean {
  return mounts.some((m) => m.destination === '/dev' && (m.type === 'bind' || (m.options ?? []).some((o) => o === 'bind' || o === 'rbind')));
}
