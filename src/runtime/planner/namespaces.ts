/**
 * Namespaces. New ones are created by the clone (so the child is pid 1 of a new pid namespace);
 * existing ones given by path are joined: the pid and time namespaces by the parent before the
 * clone (they apply to children only), all others by the child, user first and mount last (so
 * the other /proc/<pid>/ns paths still resolve on the host). A new cgroup namespace is unshared by
 * the child after the parent put it into its cgroup, so that the namespace root is that cgroup.
 */
import type { LinuxNamespace, NamespaceType } from '../../oci/runtime-spec.js';
import { CLONE, Op, type PlanOp } from '../plan/ops.js';

export const NS_FLAG: Record<NamespaceType, number> = {
  mount: CLONE.NEWNS,
  cgroup: CLONE.NEWCGROUP,
  uts: CLONE.NEWUTS,
  ipc: CLONE.NEWIPC,
  user: CLONE.NEWUSER,
  pid: CLONE.NEWPID,
  network: CLONE.NEWNET,
  time: CLONE.NEWTIME,
};

/** The file name of each namespace under /proc/<pid>/ns/. */
export const NS_PROC_NAME: Record<NamespaceType, string> = {
  mount: 'mnt', cgroup: 'cgroup', uts: 'uts', ipc: 'ipc', user: 'user', pid: 'pid', network: 'net', time: 'time',
};

const CHILD_JOIN_ORDER: NamespaceType[] = ['user', 'ipc', 'uts', 'network', 'cgroup', 'mount'];

export interface NamespacePlan {
  /** Parent ops before the clone. */
  pre: PlanOp[];
  cloneFlags: number;
  /** First child ops (joins, cgroup unshare). */
  child: PlanOp[];
  has(type: NamespaceType): boolean;
  isNew(type: NamespaceType): boolean;
}

export function planNamespaces(namespaces: readonly LinuxNamespace[]): NamespacePlan {
  const byType = new Map(namespaces.map((n) => [n.type, n]));
  const pre: PlanOp[] = [];
  const child: PlanOp[] = [];
  let cloneFlags = 0;
  for (const type of ['pid', 'time'] as const) {
    const ns = byType.get(type);
    if (ns?.path) pre.push({ op: Op.SETNS, args: [ns.path, NS_FLAG[type]] });
    else if (ns && type === 'time') pre.push({ op: Op.UNSHARE, args: [CLONE.NEWTIME] });
    else if (ns) cloneFlags |= NS_FLAG[type];
  }
  for (const type of CHILD_JOIN_ORDER) {
    const ns = byType.get(type);
    if (!ns) continue;
    if (ns.path) child.push({ op: Op.SETNS, args: [ns.path, NS_FLAG[type]] });
    else if (type !== 'cgroup') cloneFlags |= NS_FLAG[type];
  }
  const cg = byType.get('cgroup');
  if (cg && !cg.path) child.push({ op: Op.UNSHARE, args: [CLONE.NEWCGROUP] });
  return {
    pre,
    cloneFlags,
    child,
    has: (t) => byType.has(t),
    isNew: (t) => byType.has(t) && !byType.get(t)!.path,
  };
}
