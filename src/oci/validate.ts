/**
 * Validation of a bundle's config.json before a runtime touches the system: first the OCI JSON
 * schema (shape and types), then the rules the schema cannot express, as runc's
 * libcontainer/configs/validate and specconv apply them. The first problem found is thrown as
 * one invalid-argument line: `config.json: <json.path>: <problem>`.
 */
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { invalidArgument } from '../common/errors.js';
import type { EngineError } from '../common/errors.js';
import { isCanonicalCapability } from '../runtime/capabilities.js';
import { MS_BIND, parseMountOptions, propagationFlags } from '../runtime/mount-options.js';
import { isRlimitName } from '../runtime/rlimits.js';
import type { LinuxNamespace, NamespaceType, Process, Spec } from './runtime-spec.js';
import { describeValue, formatPath, schemaError } from './validate-schema.js';

export interface ValidateOptions {
  /** The bundle directory; a relative root.path is resolved against it (else against the cwd). */
  bundle?: string;
  /** Receives what runc only warns about (relative mount destinations). */
  onWarning?: (message: string) => void;
}

const NAMESPACES: readonly NamespaceType[] = ['pid', 'network', 'mount', 'ipc', 'uts', 'user', 'cgroup', 'time'];
const CAP_SETS = ['bounding', 'effective', 'inheritable', 'permitted', 'ambient'] as const;
/** 1.0.x–1.3.x, with SemVer pre-release/build suffixes ("1.0.2-dev", "1.3.0+dev"). */
const SUPPORTED_VERSION = /^1\.[0-3]\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

type Path = readonly (string | number)[];

function fail(path: Path, problem: string): EngineError {
  const p = formatPath(path);
  return invalidArgument(p === '' ? `config.json: ${problem}` : `config.json: ${p}: ${problem}`);
}

export function validateSpec(raw: unknown, opts: ValidateOptions = {}): Spec {
  // The version goes first: a config for another major version may differ in shape, and
  // "unsupported version" is then the message that helps.
  const version = (raw as { ociVersion?: unknown } | null)?.ociVersion;
  if (raw !== null && typeof raw === 'object' && typeof version === 'string' && !SUPPORTED_VERSION.test(version)) {
    throw fail(['ociVersion'], `unsupported version ${JSON.stringify(version)} (supported: 1.0.x, 1.1.x, 1.2.x, 1.3.x)`);
  }
  const shape = schemaError('config', raw);
  if (shape !== null) throw invalidArgument(`config.json: ${shape}`);
  const spec = raw as Spec;
  checkProcess(spec.process);
  checkRoot(spec, opts.bundle);
  const ns = checkNamespaces(spec);
  checkUserAndTime(spec, ns);
  checkNamespaceDependents(spec, ns);
  checkSysctl(spec, ns);
  checkDeviceRules(spec);
  checkMounts(spec, ns, opts.onWarning);
  const prop = spec.linux?.rootfsPropagation;
  if (prop !== undefined && propagationFlags(prop) === undefined) {
    throw fail(['linux', 'rootfsPropagation'], `unsupported propagation ${JSON.stringify(prop)}`);
  }
  return spec;
}

function checkProcess(p: Process | undefined): void {
  if (p === undefined) throw fail(['process'], 'is required');
  if (!p.args || p.args.length === 0) throw fail(['process', 'args'], 'must not be empty');
  if (!isAbsolute(p.cwd)) throw fail(['process', 'cwd'], `must be an absolute path (got ${describeValue(p.cwd)})`);
  for (const set of CAP_SETS) {
    (p.capabilities?.[set] ?? []).forEach((name, i) => {
      if (!isCanonicalCapability(name)) {
        throw fail(['process', 'capabilities', set, i], `unknown capability ${JSON.stringify(name)}`);
      }
    });
  }
  const seen = new Set<string>();
  (p.rlimits ?? []).forEach((r, i) => {
    if (!isRlimitName(r.type)) throw fail(['process', 'rlimits', i, 'type'], `unknown rlimit type ${JSON.stringify(r.type)}`);
    // The runtime spec: duplicated entries with the same type MUST be an error.
    if (seen.has(r.type)) throw fail(['process', 'rlimits', i, 'type'], `duplicate rlimit ${JSON.stringify(r.type)}`);
    seen.add(r.type);
    if (r.soft > r.hard) throw fail(['process', 'rlimits', i], `soft limit (${r.soft}) exceeds hard limit (${r.hard})`);
  });
  if (p.ioPriority && (p.ioPriority.priority < 0 || p.ioPriority.priority > 7)) {
    throw fail(['process', 'ioPriority', 'priority'], `must be between 0 and 7 (got ${p.ioPriority.priority})`);
  }
  checkScheduler(p.scheduler as SchedulerLike | undefined);
}

interface SchedulerLike { policy: string; nice?: number; priority?: number; runtime?: number; deadline?: number; period?: number }

/** sched_setattr(2)'s constraints, as runc checks them. */
function checkScheduler(s: SchedulerLike | undefined): void {
  if (!s) return;
  const at = ['process', 'scheduler'];
  if ((s.policy === 'SCHED_OTHER' || s.policy === 'SCHED_BATCH') && s.nice !== undefined && (s.nice < -20 || s.nice > 19)) {
    throw fail([...at, 'nice'], `must be between -20 and 19 for ${s.policy} (got ${s.nice})`);
  }
  if (s.priority && s.policy !== 'SCHED_FIFO' && s.policy !== 'SCHED_RR') {
    throw fail([...at, 'priority'], 'can only be set for SCHED_FIFO or SCHED_RR');
  }
  if (s.policy !== 'SCHED_DEADLINE' && (s.runtime || s.deadline || s.period)) {
    throw fail(at, 'runtime/deadline/period can only be set for SCHED_DEADLINE');
  }
}

function checkRoot(spec: Spec, bundle: string | undefined): void {
  if (!spec.root) throw fail(['root'], 'is required');
  if (spec.root.path === '') throw fail(['root', 'path'], 'must not be empty');
  const rootfs = resolve(bundle ?? process.cwd(), spec.root.path);
  let isDir: boolean;
  try {
    isDir = statSync(rootfs).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw fail(['root', 'path'], `rootfs (${rootfs}) does not exist`);
    throw fail(['root', 'path'], `rootfs (${rootfs}) cannot be read: ${(e as Error).message}`);
  }
  if (!isDir) throw fail(['root', 'path'], `rootfs (${rootfs}) is not a directory`);
}

/** Namespace type → its entry; duplicates and unknown types are errors. */
function checkNamespaces(spec: Spec): Map<NamespaceType, LinuxNamespace> {
  const ns = new Map<NamespaceType, LinuxNamespace>();
  (spec.linux?.namespaces ?? []).forEach((n, i) => {
    if (!NAMESPACES.includes(n.type)) {
      throw fail(['linux', 'namespaces', i, 'type'], `must be one of ${NAMESPACES.join(', ')} (got ${describeValue(n.type)})`);
    }
    if (ns.has(n.type)) throw fail(['linux', 'namespaces', i, 'type'], `duplicate namespace ${JSON.stringify(n.type)}`);
    ns.set(n.type, n);
  });
  return ns;
}

function checkUserAndTime(spec: Spec, ns: Map<NamespaceType, LinuxNamespace>): void {
  const linux = spec.linux;
  const uid = (linux?.uidMappings?.length ?? 0) > 0;
  const gid = (linux?.gidMappings?.length ?? 0) > 0;
  const user = ns.get('user');
  // Joining an existing user namespace (path) brings its mappings; a new one needs both maps,
  // or the kernel leaves ids unmapped and setuid/setgid inside fail.
  if (user && !user.path && !(uid && gid)) {
    throw fail(['linux', uid ? 'gidMappings' : 'uidMappings'], 'a user namespace needs uidMappings and gidMappings (or a namespace path to join)');
  }
  if (!user && (uid || gid)) {
    throw fail(['linux', uid ? 'uidMappings' : 'gidMappings'], 'id mappings need a user namespace in linux.namespaces');
  }
  const time = ns.get('time');
  if (linux?.timeOffsets && !time) throw fail(['linux', 'timeOffsets'], 'time offsets need a time namespace in linux.namespaces');
  if (linux?.timeOffsets && time?.path) {
    throw fail(['linux', 'timeOffsets'], 'cannot set time offsets when joining an existing time namespace (path)');
  }
}

/** Settings that only make sense in a namespace of the container's own. */
function checkNamespaceDependents(spec: Spec, ns: Map<NamespaceType, LinuxNamespace>): void {
  if (spec.hostname && !ns.has('uts')) throw fail(['hostname'], 'cannot set the hostname without a private uts namespace');
  if (spec.domainname && !ns.has('uts')) throw fail(['domainname'], 'cannot set the domainname without a private uts namespace');
  const linux = spec.linux;
  if (!ns.has('mount')) {
    if (linux?.maskedPaths?.length) throw fail(['linux', 'maskedPaths'], 'needs a private mount namespace');
    if (linux?.readonlyPaths?.length) throw fail(['linux', 'readonlyPaths'], 'needs a private mount namespace');
  }
  const netDevices = linux?.['netDevices' as keyof typeof linux];
  if (netDevices && Object.keys(netDevices).length > 0 && !ns.has('network')) {
    throw fail(['linux', 'netDevices'], 'cannot move network devices without a network namespace');
  }
}

/** Device cgroup rules: the schema leaves type and access free-form; the kernel does not. */
function checkDeviceRules(spec: Spec): void {
  (spec.linux?.resources?.devices ?? []).forEach((d, i) => {
    const at = ['linux', 'resources', 'devices', i];
    if (d.type !== undefined && !['a', 'b', 'c'].includes(d.type)) {
      throw fail([...at, 'type'], `must be one of a, b, c (got ${describeValue(d.type)})`);
    }
    if (d.access !== undefined && !/^[rwm]*$/.test(d.access)) {
      throw fail([...at, 'access'], `must be a combination of r, w, m (got ${describeValue(d.access)})`);
    }
  });
}

const IPC_SYSCTLS = new Set([
  'kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni', 'kernel.sem',
  'kernel.shmall', 'kernel.shmmax', 'kernel.shmmni', 'kernel.shm_rmid_forced',
]);

/** sysctl(8) accepts "net/ipv4/ip_forward" too; if the first separator is '/', swap '.' and '/'. */
function dottedSysctl(key: string): string {
  const first = key.search(/[./]/);
  if (first === -1 || key[first] === '.') return key;
  return key.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'));
}

/**
 * /proc/sys is only partly namespaced: a sysctl may be set only when the namespace that owns it
 * is the container's own, or it would change the host.
 */
function checkSysctl(spec: Spec, ns: Map<NamespaceType, LinuxNamespace>): void {
  for (const rawKey of Object.keys(spec.linux?.sysctl ?? {})) {
    const at = ['linux', 'sysctl', rawKey];
    const key = dottedSysctl(rawKey);
    if (IPC_SYSCTLS.has(key) || key.startsWith('fs.mqueue.')) {
      if (!ns.has('ipc')) throw fail(at, 'not allowed without a private ipc namespace');
      continue;
    }
    if (key.startsWith('net.')) {
      if (isHostNetwork(ns.get('network'))) throw fail(at, 'not allowed without a private network namespace');
      continue;
    }
    if (ns.has('uts') && key === 'kernel.domainname') continue;
    if (ns.has('uts') && key === 'kernel.hostname') throw fail(at, 'conflicts with the "hostname" field; set that instead');
    if (key === 'kernel.hostname' || key === 'kernel.domainname') {
      throw fail(at, 'not allowed without a private uts namespace');
    }
    if (key.startsWith('user.')) {
      if (!ns.has('user')) throw fail(at, 'not allowed without a user namespace');
      continue;
    }
    throw fail(at, 'is not in a separate kernel namespace');
  }
}

/** "Host" means the runtime's own: no netns entry, or a path that is the one we are in. */
function isHostNetwork(net: LinuxNamespace | undefined): boolean {
  if (!net) return true;
  if (!net.path) return false;
  try {
    const ours = statSync('/proc/self/ns/net');
    const theirs = statSync(net.path);
    return ours.dev === theirs.dev && ours.ino === theirs.ino;
  } catch (e) {
    throw fail(['linux', 'namespaces'], `invalid network namespace path ${JSON.stringify(net.path)}: ${(e as Error).message}`);
  }
}

function checkMounts(spec: Spec, ns: Map<NamespaceType, LinuxNamespace>, onWarning: ((m: string) => void) | undefined): void {
  (spec.mounts ?? []).forEach((m, i) => {
    const at = ['mounts', i];
    // Mount arguments travel to the executor as C strings: an embedded NUL would truncate them.
    for (const field of ['destination', 'source', 'type'] as const) {
      if (m[field]?.includes('\0')) throw fail([...at, field], 'must not contain a NUL byte');
    }
    if (!isAbsolute(m.destination)) {
      // runc still accepts these (taken relative to /), with a deprecation warning.
      onWarning?.(`config.json: mounts[${i}].destination: relative path ${JSON.stringify(m.destination)} is deprecated; taken as relative to /`);
    }
    const parsed = parseMountOptions(m.options ?? []);
    const bind = (parsed.flags & MS_BIND) !== 0;
    if (bind && parsed.data !== '') {
      throw fail([...at, 'options'], `a bind mount cannot take filesystem options (got ${JSON.stringify(parsed.data)})`);
    }
    const idmapped = m.uidMappings !== undefined || m.gidMappings !== undefined
      || parsed.extensions.includes('idmap') || parsed.extensions.includes('ridmap');
    if (idmapped && !bind) throw fail(at, 'id-mapped mounts are only supported for bind mounts');
    const uid = (m.uidMappings?.length ?? 0) > 0;
    const gid = (m.gidMappings?.length ?? 0) > 0;
    if (uid !== gid) throw fail(at, 'an id-mapped mount needs both uidMappings and gidMappings');
    // Without its own mappings, "idmap" borrows the container's user namespace mappings.
    if (idmapped && !uid && !ns.has('user')) {
      throw fail(at, 'an id-mapped mount needs uidMappings and gidMappings, or a user namespace');
    }
  });
}
