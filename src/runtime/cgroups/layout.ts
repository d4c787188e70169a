/**
 * Which cgroup hierarchies this host has, read from /proc/self/mountinfo (never guessed from
 * paths: /sys/fs/cgroup may be a tmpfs of v1 mounts, a cgroup2 mount, or both — "hybrid", where
 * v1 holds the controllers and a controller-less cgroup2 sits at /sys/fs/cgroup/unified).
 *
 * Like runc and Docker, a host with any v1 controller mounted is driven as v1 (the v2 mount of a
 * hybrid host is still joined, for systemd's tracking); a host with only cgroup2 is v2. The
 * caller's own cgroups (/proc/self/cgroup) are kept to resolve relative cgroupsPaths.
 */
import { readFileSync } from 'node:fs';
import { unavailable } from '../../common/errors.js';

export interface CgroupLayout {
  version: 1 | 2;
  /** v1 controller ("memory", "cpu", "name=systemd") → mountpoint; co-mounted ones share it. */
  v1: Map<string, string>;
  /** The cgroup2 mountpoint, on unified and hybrid hosts. */
  unified?: string;
  /** Mountpoint → the cgroup mounted there (mountinfo's root field; "/" outside cgroup namespaces). */
  roots: Map<string, string>;
  /** Controller (v1) or "" (v2) → this process's cgroup path, from /proc/self/cgroup. */
  self: Map<string, string>;
}

/** Mount options of a v1 cgroup mount that are not controller names. */
const NON_CONTROLLER_OPTIONS = new Set(['rw', 'ro', 'clone_children', 'noprefix', 'xattr', 'cpuset_v2_mode', 'none', 'favordynmods']);

/** Undoes mountinfo's octal escapes ("\040" for a space). */
function unescapeMountinfo(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

interface CgroupMountEntry { mountpoint: string; root: string; fstype: 'cgroup' | 'cgroup2'; controllers: string[] }

function parseMountinfoLine(line: string): CgroupMountEntry | undefined {
  const sep = line.indexOf(' - ');
  if (sep < 0) return undefined;
  const pre = line.slice(0, sep).split(' ');
  const [fstype, , superOpts = ''] = line.slice(sep + 3).split(' ');
  if ((fstype !== 'cgroup' && fstype !== 'cgroup2') || pre.length < 5) return undefined;
  const controllers = fstype === 'cgroup'
    ? superOpts.split(',').filter((o) => o !== '' && !NON_CONTROLLER_OPTIONS.has(o) && !o.startsWith('release_agent='))
    : [];
  return { mountpoint: unescapeMountinfo(pre[4]!), root: unescapeMountinfo(pre[3]!), fstype, controllers };
}

/** Prefers mounts under /sys/fs/cgroup when a hierarchy is mounted more than once. */
function preferred(a: string, b: string): string {
  const std = (p: string) => p === '/sys/fs/cgroup' || p.startsWith('/sys/fs/cgroup/');
  return std(b) && !std(a) ? b : a;
}

/** Parses /proc/self/cgroup: "4:memory:/a" and "0::/b" → controller (or "") → path. */
export function parseProcCgroup(text: string): Map<string, string> {
  const self = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    const controllers = m[1] === '' ? [''] : m[1]!.split(',');
    for (const c of controllers) self.set(c, m[2]!);
  }
  return self;
}

/** Builds the layout from the text of /proc/self/mountinfo and /proc/self/cgroup. */
export function parseCgroupLayout(mountinfo: string, procCgroup = ''): CgroupLayout {
  const v1 = new Map<string, string>();
  const roots = new Map<string, string>();
  let unified: string | undefined;
  for (const line of mountinfo.split('\n')) {
    const entry = parseMountinfoLine(line);
    if (!entry) continue;
    if (entry.fstype === 'cgroup2') {
      const chosen = unified === undefined ? entry.mountpoint : preferred(unified, entry.mountpoint);
      if (chosen === entry.mountpoint) { unified = chosen; roots.set(chosen, entry.root); }
      continue;
    }
    for (const c of entry.controllers) {
      const existing = v1.get(c);
      const chosen = existing === undefined ? entry.mountpoint : preferred(existing, entry.mountpoint);
      if (chosen === entry.mountpoint) { v1.set(c, chosen); roots.set(chosen, entry.root); }
    }
  }
  const hasV1Controller = [...v1.keys()].some((c) => !c.startsWith('name='));
  if (!hasV1Controller && unified === undefined) throw unavailable('no cgroup filesystem is mounted (checked /proc/self/mountinfo)');
  const layout: CgroupLayout = { version: hasV1Controller ? 1 : 2, v1, roots, self: parseProcCgroup(procCgroup) };
  if (unified !== undefined) layout.unified = unified;
  return layout;
}

/** The layout of the running host. */
export function detectCgroupLayout(): CgroupLayout {
  return parseCgroupLayout(readFileSync('/proc/self/mountinfo', 'utf8'), readFileSync('/proc/self/cgroup', 'utf8'));
}

/** v1 hierarchies as (mountpoint, controllers) pairs, in mount order. */
export function v1Hierarchies(layout: CgroupLayout): { mountpoint: string; controllers: string[] }[] {
  const byMount = new Map<string, string[]>();
  for (const [controller, mountpoint] of layout.v1) {
    const list = byMount.get(mountpoint) ?? [];
    list.push(controller);
    byMount.set(mountpoint, list);
  }
  return [...byMount].map(([mountpoint, controllers]) => ({ mountpoint, controllers }));
}
