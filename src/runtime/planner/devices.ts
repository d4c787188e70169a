/**
 * /dev: the devices every container gets (as runc adds them), those the config lists, and the
 * standard symlinks. Without a user namespace devices are created with mknod; inside one mknod is
 * not allowed, so the host's device nodes are bind-mounted instead.
 */
import { existsSync } from 'node:fs';
import type { LinuxDevice, LinuxDeviceCgroup } from '../../oci/runtime-spec.js';
import { MS_BIND } from '../mount-options.js';
import { Create, Op, type PlanOp } from '../plan/ops.js';

export const DEFAULT_DEVICES: readonly LinuxDevice[] = [
  { path: '/dev/null', type: 'c', major: 1, minor: 3, fileMode: 0o666, uid: 0, gid: 0 },
  { path: '/dev/zero', type: 'c', major: 1, minor: 5, fileMode: 0o666, uid: 0, gid: 0 },
  { path: '/dev/full', type: 'c', major: 1, minor: 7, fileMode: 0o666, uid: 0, gid: 0 },
  { path: '/dev/random', type: 'c', major: 1, minor: 8, fileMode: 0o666, uid: 0, gid: 0 },
  { path: '/dev/urandom', type: 'c', major: 1, minor: 9, fileMode: 0o666, uid: 0, gid: 0 },
  { path: '/dev/tty', type: 'c', major: 5, minor: 0, fileMode: 0o666, uid: 0, gid: 0 },
];

const S_IFMT: Record<LinuxDevice['type'], number> = { c: 0o020000, u: 0o020000, b: 0o060000, p: 0o010000 };

export function planDevices(rootfs: string, devices: readonly LinuxDevice[], inUserNs: boolean): PlanOp[] {
  const all = new Map<string, LinuxDevice>();
  for (const d of DEFAULT_DEVICES) all.set(d.path, d);
  for (const d of devices) all.set(d.path, d);
  const ops: PlanOp[] = [];
  for (const d of all.values()) {
    if (inUserNs) {
      if (!existsSync(d.path)) continue;
      ops.push({ op: Op.MOUNT_IN_ROOT, args: [rootfs, d.path, d.path, '', MS_BIND, '', Create.FILE] });
    } else {
      const mode = S_IFMT[d.type] | ((d.fileMode ?? 0o666) & 0o7777);
      ops.push({ op: Op.MKNOD, args: [rootfs, d.path, mode, d.major ?? 0, d.minor ?? 0, d.uid ?? 0, d.gid ?? 0] });
    }
  }
  const links: [string, string][] = [
    ['/proc/self/fd', '/dev/fd'],
    ['/proc/self/fd/0', '/dev/stdin'],
    ['/proc/self/fd/1', '/dev/stdout'],
    ['/proc/self/fd/2', '/dev/stderr'],
    ['pts/ptmx', '/dev/ptmx'],
  ];
  if (existsSync('/proc/kcore')) links.push(['/proc/kcore', '/dev/core']);
  for (const [target, link] of links) ops.push({ op: Op.SYMLINK, args: [rootfs, target, link] });
  return ops;
}

/**
 * The device cgroup rules a container gets, as runc appends them after the config's own: mknod
 * of any node (access to it is still governed), the default devices, ptys, and the config's
 * devices themselves.
 */
export function deviceCgroupRules(resources: LinuxDeviceCgroup[] | undefined, devices: readonly LinuxDevice[]): LinuxDeviceCgroup[] {
  const allow = (type: 'c' | 'b', major: number | null, minor: number | null, access = 'rwm'): LinuxDeviceCgroup =>
    ({ allow: true, type, major, minor, access });
  const rules: LinuxDeviceCgroup[] = [...(resources ?? [])];
  rules.push(allow('c', null, null, 'm'), allow('b', null, null, 'm'));
  for (const d of DEFAULT_DEVICES) rules.push(allow('c', d.major!, d.minor!));
  rules.push(allow('c', 136, null), allow('c', 5, 2), allow('c', 10, 200));
  for (const d of devices) {
    if (d.type === 'p') continue;
    rules.push(allow(d.type === 'b' ? 'b' : 'c', d.major ?? null, d.minor ?? null));
  }
  return rules;
}
