/**
 * A Docker container's configuration → the OCI runtime spec the runtime executes, as dockerd
 * builds it (moby daemon/oci_linux.go): Docker's default mounts, namespaces, capabilities,
 * seccomp, masked paths and device rules, then the user's settings on top.
 */
import type { ContainerConfig, HostConfig } from '../../api/types/generated.js';
import type { LinuxDeviceCgroup, LinuxDevice, LinuxNamespace, Mount, Spec } from '../runtime-spec.js';
import { invalidArgument } from '../../common/errors.js';
import { rlimitNumber } from '../../runtime/rlimits.js';
import { DEFAULT_MASKED_PATHS, DEFAULT_PATH_ENV, DEFAULT_READONLY_PATHS, DEFAULT_SHM_SIZE, defaultDeviceRules, defaultMounts } from './defaults.js';
import { buildResources, devNumbers, parseDeviceCgroupRule } from './resources.js';
import { capabilitySet, noNewPrivileges, processCapabilities, seccompFor } from './security.js';
import { homeOf, resolveUser } from './user.js';

export interface NamespaceSources {
  /** Network namespace to join (from the network service), or 'host'. Absent: a new, empty one. */
  network?: string | 'host';
  /** For `--pid container:x` / `--ipc container:x` / `--uts host` etc.: a path, or 'host'. */
  pid?: string | 'host';
  ipc?: string | 'host';
  uts?: 'host';
  cgroup?: 'host' | 'private';
}

export interface ContainerSpecInput {
  id: string;
  config: ContainerConfig;
  hostConfig: HostConfig;
  rootfs: string;
  /** The user's mounts (binds, volumes, tmpfs), already OCI. */
  mounts: Mount[];
  /** Host files bind-mounted at /etc/hosts, /etc/hostname, /etc/resolv.conf. */
  etcFiles?: { hosts?: string; hostname?: string; resolvConf?: string };
  namespaces: NamespaceSources;
  cgroupsPath: string;
  cgroupVersion: 1 | 2;
  /**
   * `--init`: the daemon's default (daemon.json `init`) for containers whose HostConfig.Init is
   * unset, and the host path of the init binary (`init-path`).
   */
  init?: { default: boolean; binary: string };
}

/** Where Docker mounts its init, and how a container runs under it (moby's WithInit). */
export const IN_CONTAINER_INIT = '/sbin/docker-init';

function withInit(input: ContainerSpecInput, args: string[], mounts: Mount[]): void {
  if (!(input.hostConfig.Init ?? input.init?.default)) return;
  if (!input.init?.binary) throw invalidArgument('docker-init binary not found');
  mounts.push({ destination: IN_CONTAINER_INIT, type: 'bind', source: input.init.binary, options: ['bind', 'ro'] });
  args.unshift(IN_CONTAINER_INIT, '--');
}

function mergeMounts(defaults: Mount[], user: Mount[]): Mount[] {
  const userDests = new Set(user.map((m) => m.destination));
  const userDev = userDests.has('/dev');
  const kept = defaults.filter((m) => !userDests.has(m.destination) && !(userDev && m.destination.startsWith('/dev/')));
  return [...kept, ...user];
}

function namespaceList(ns: NamespaceSources, cgroupVersion: 1 | 2): LinuxNamespace[] {
  const out: LinuxNamespace[] = [{ type: 'mount' }];
  const add = (type: LinuxNamespace['type'], src: string | undefined) => {
    if (src === 'host') return;
    out.push(src ? { type, path: src } : { type });
  };
  add('network', ns.network);
  add('uts', ns.uts);
  add('pid', ns.pid);
  add('ipc', ns.ipc);
  const cg = ns.cgroup ?? (cgroupVersion === 2 ? 'private' : 'host');
  if (cg === 'private') out.push({ type: 'cgroup' });
  return out;
}

function hostDevices(hc: HostConfig): { devices: LinuxDevice[]; rules: LinuxDeviceCgroup[] } {
  const devices: LinuxDevice[] = [];
  const rules: LinuxDeviceCgroup[] = [];
  for (const d of hc.Devices ?? []) {
    const { major, minor } = devNumbers(d.PathOnHost ?? '');
    const perms = d.CgroupPermissions || 'rwm';
    devices.push({ path: d.PathInContainer || d.PathOnHost!, type: 'c', major, minor, fileMode: 0o666, uid: 0, gid: 0 });
    rules.push({ allow: true, type: 'c', major, minor, access: perms });
  }
  for (const r of hc.DeviceCgroupRules ?? []) rules.push(parseDeviceCgroupRule(r));
  return { devices, rules };
}

export function buildContainerSpec(input: ContainerSpecInput): Spec {
  const { config, hostConfig: hc } = input;
  const privileged = hc.Privileged === true;
  const securityOpt = hc.SecurityOpt ?? [];
  const args = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
  if (args.length === 0) throw invalidArgument('no command specified');
  const user = resolveUser(input.rootfs, config.User, hc.GroupAdd ?? []);
  const env = [...(config.Env ?? [])];
  if (!env.some((e) => e.startsWith('PATH='))) env.unshift(DEFAULT_PATH_ENV);
  if (!env.some((e) => e.startsWith('HOSTNAME='))) env.unshift(`HOSTNAME=${config.Hostname ?? input.id.slice(0, 12)}`);
  if (config.Tty && !env.some((e) => e.startsWith('TERM='))) env.push('TERM=xterm');
  if (!env.some((e) => e.startsWith('HOME='))) env.push(`HOME=${homeOf(input.rootfs, user.uid)}`);
  const caps = capabilitySet(privileged, hc.CapAdd, hc.CapDrop);

  const mounts = mergeMounts(defaultMounts(hc.ShmSize || DEFAULT_SHM_SIZE), input.mounts);
  const etc = input.etcFiles ?? {};
  for (const [dest, src] of [['/etc/resolv.conf', etc.resolvConf], ['/etc/hostname', etc.hostname], ['/etc/hosts', etc.hosts]] as const) {
    if (src && !mounts.some((m) => m.destination === dest)) {
      mounts.push({ destination: dest, type: 'bind', source: src, options: ['rbind', 'rprivate'] });
    }
  }
  if (hc.ReadonlyRootfs) {
    const writable = new Set(['/proc', '/dev', '/dev/pts', '/dev/shm', '/dev/mqueue']);
    for (const m of mounts) if (!writable.has(m.destination) && !input.mounts.includes(m) && !(m.options ?? []).includes('ro')) m.options = [...(m.options ?? []), 'ro'];
  }
  if (privileged) {
    for (const m of mounts) if (m.destination === '/sys' || m.destination === '/sys/fs/cgroup') m.options = (m.options ?? []).filter((o) => o !== 'ro');
  }
  withInit(input, args, mounts);
  if (hc.IpcMode === 'none') {
    const i = mounts.findIndex((m) => m.destination === '/dev/shm');
    if (i >= 0) mounts.splice(i, 1);
  }

  const { devices, rules } = hostDevices(hc);
  const deviceRules = privileged ? [{ allow: true, access: 'rwm' }] : [...defaultDeviceRules(), ...rules];
  const sysctl: Record<string, string> = {};
  if (input.namespaces.network !== 'host') {
    sysctl['net.ipv4.ip_unprivileged_port_start'] = '0';
    sysctl['net.ipv4.ping_group_range'] = '0 2147483647';
  }
  Object.assign(sysctl, hc.Sysctls ?? {});

  const spec: Spec = {
    ociVersion: '1.2.0',
    process: {
      terminal: config.Tty === true,
      // The client's terminal size at create (docker run -t sends it): the pty has it before the
      // process starts, not only after the first resize.
      ...(config.Tty === true && hc.ConsoleSize?.[0] && hc.ConsoleSize[1] ? { consoleSize: { height: hc.ConsoleSize[0], width: hc.ConsoleSize[1] } } : {}),
      user,
      args,
      env,
      cwd: config.WorkingDir || '/',
      capabilities: processCapabilities(caps),
      rlimits: (hc.Ulimits ?? []).map((u) => {
        const type = `RLIMIT_${(u.Name ?? '').toUpperCase()}`;
        rlimitNumber(type);
        return { type, soft: u.Soft ?? 0, hard: u.Hard ?? 0 };
      }),
      noNewPrivileges: noNewPrivileges(securityOpt),
      ...(hc.OomScoreAdj ? { oomScoreAdj: hc.OomScoreAdj } : {}),
    },
    root: { path: input.rootfs, readonly: hc.ReadonlyRootfs === true },
    hostname: input.namespaces.uts === 'host' ? undefined : config.Hostname || input.id.slice(0, 12),
    ...(config.Domainname ? { domainname: config.Domainname } : {}),
    mounts,
    linux: {
      resources: buildResources(hc, deviceRules),
      cgroupsPath: input.cgroupsPath,
      namespaces: namespaceList(input.namespaces, input.cgroupVersion),
      devices,
      seccomp: seccompFor(caps, privileged, securityOpt),
      maskedPaths: privileged ? [] : [...DEFAULT_MASKED_PATHS],
      readonlyPaths: privileged ? [] : [...DEFAULT_READONLY_PATHS],
      sysctl,
    },
  };
  if (!spec.linux!.seccomp) delete spec.linux!.seccomp;
  return spec;
}
