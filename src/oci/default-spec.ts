/**
 * The config.json that `runc spec` writes (and `runc spec --rootless`), as runc's
 * libcontainer/specconv Example() and ToRootless() build it, with ociVersion 1.3.0.
 *
 * Key order follows the Go structs' field order, so `JSON.stringify(defaultSpec(), null, '\t')`
 * reads like runc's output. Since the 2022 inheritable-capabilities fix (CVE-2022-29162), runc
 * fills only the bounding, effective and permitted sets; inheritable and ambient stay empty.
 */
import { existsSync } from 'node:fs';
import type { LinuxNamespace, Mount, Spec } from './runtime-spec.js';

export interface DefaultSpecOptions {
  /** The `--rootless` variant: a user namespace mapping the caller to root, no netns, no cgroup devices. */
  rootless?: boolean;
  /** Host ids for the rootless mappings; default the process's effective uid/gid. */
  uid?: number;
  gid?: number;
  /** Whether to add a cgroup namespace; runc does on a cgroup v2 (unified) host, detected by default. */
  cgroupNamespace?: boolean;
}

const DEFAULT_CAPS = ['CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE'];

function isCgroup2Unified(): boolean {
  return existsSync('/sys/fs/cgroup/cgroup.controllers');
}

function exampleMounts(): Mount[] {
  return [
    { destination: '/proc', type: 'proc', source: 'proc' },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    {
      destination: '/dev/pts',
      type: 'devpts',
      source: 'devpts',
      options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
    },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', 'relatime', 'ro'] },
  ];
}

export function defaultSpec(opts: DefaultSpecOptions = {}): Spec {
  const namespaces: LinuxNamespace[] = [
    { type: 'pid' },
    { type: 'network' },
    { type: 'ipc' },
    { type: 'uts' },
    { type: 'mount' },
  ];
  if (opts.cgroupNamespace ?? isCgroup2Unified()) namespaces.push({ type: 'cgroup' });
  const spec: Spec = {
    ociVersion: '1.3.0',
    process: {
      terminal: true,
      user: { uid: 0, gid: 0 },
      args: ['sh'],
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'TERM=xterm'],
      cwd: '/',
      capabilities: { bounding: [...DEFAULT_CAPS], effective: [...DEFAULT_CAPS], permitted: [...DEFAULT_CAPS] },
      rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }],
      noNewPrivileges: true,
    },
    root: { path: 'rootfs', readonly: true },
    hostname: 'runc',
    mounts: exampleMounts(),
    linux: {
      resources: { devices: [{ allow: false, access: 'rwm' }] },
      namespaces,
      maskedPaths: [
        '/proc/acpi',
        '/proc/asound',
        '/proc/kcore',
        '/proc/keys',
        '/proc/latency_stats',
        '/proc/timer_list',
        '/proc/timer_stats',
        '/proc/sched_debug',
        '/sys/firmware',
        '/proc/scsi',
      ],
      readonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
    },
  };
  return opts.rootless ? toRootless(spec, opts) : spec;
}

/**
 * runc's ToRootless: an unprivileged user cannot create a network namespace with a usable
 * device, mount a fresh sysfs, chown devpts to gid 5 or write device cgroups — so join a user
 * namespace mapping the caller to root, bind /sys instead, drop uid=/gid= options and resources.
 */
function toRootless(spec: Spec, opts: DefaultSpecOptions): Spec {
  const linux = spec.linux!;
  const namespaces = (linux.namespaces ?? []).filter((n) => n.type !== 'network' && n.type !== 'user');
  namespaces.push({ type: 'user' });
  const uid = opts.uid ?? process.geteuid?.() ?? 0;
  const gid = opts.gid ?? process.getegid?.() ?? 0;
  const mounts = (spec.mounts ?? []).map((m): Mount => {
    if (m.destination.replace(/\/+$/, '') === '/sys') {
      return { destination: '/sys', type: 'none', source: '/sys', options: ['rbind', 'nosuid', 'noexec', 'nodev', 'ro'] };
    }
    if (m.options === undefined) return m;
    return { ...m, options: m.options.filter((o) => !o.startsWith('gid=') && !o.startsWith('uid=')) };
  });
  // Rebuilt rather than mutated so the keys keep runc's order (mappings first, no resources).
  const { resources: _dropped, namespaces: _old, ...rest } = linux;
  return {
    ...spec,
    mounts,
    linux: {
      uidMappings: [{ containerID: 0, hostID: uid, size: 1 }],
      gidMappings: [{ containerID: 0, hostID: gid, size: 1 }],
      namespaces,
      ...rest,
    },
  };
}
