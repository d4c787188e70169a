/**
 * Pure converters from the system service's facts to Docker's /info, /version and /system/df
 * bodies, with the per-version differences moby applies (daemon/server/router/system).
 */
import type { DiskUsageKind, DiskUsageReport, SystemInfoFacts } from '../../services/system/index.js';
import type { HostFacts } from '../../services/system/index.js';
import type { SystemInfo, SystemVersion } from '../types/generated.js';
import { API_VERSION, ENGINE_VERSION, PRODUCT_VERSION, versionLess } from '../version.js';

/** Build metadata; there is no Go toolchain, so GoVersion carries the Node version. */
const GIT_COMMIT = process.env['SKIFF_GIT_COMMIT'] ?? 'skiff';
const BUILD_TIME = process.env['SKIFF_BUILD_TIME'] ?? '2025-01-01T00:00:00.000000000+00:00';

export function toVersion(host: HostFacts, minApiVersion: string, experimental: boolean): SystemVersion {
  const details = {
    ApiVersion: API_VERSION,
    Arch: host.goArch,
    BuildTime: BUILD_TIME,
    Experimental: String(experimental),
    GitCommit: GIT_COMMIT,
    GoVersion: `node${process.versions.node}`,
    KernelVersion: host.kernelVersion,
    MinAPIVersion: minApiVersion,
    Os: 'linux',
  };
  return {
    Platform: { Name: 'Skiff Engine' },
    Components: [
      { Name: 'Engine', Version: ENGINE_VERSION, Details: details },
      { Name: 'Skiff', Version: PRODUCT_VERSION, Details: { GitCommit: GIT_COMMIT } },
    ],
    Version: ENGINE_VERSION,
    ApiVersion: API_VERSION,
    MinAPIVersion: minApiVersion,
    GitCommit: GIT_COMMIT,
    GoVersion: `node${process.versions.node}`,
    Os: 'linux',
    Arch: host.goArch,
    KernelVersion: host.kernelVersion,
    ...(experimental ? { Experimental: true } : {}),
    BuildTime: BUILD_TIME,
  };
}

export function toInfo(f: SystemInfoFacts, version: string): SystemInfo & Record<string, unknown> {
  const c = f.config;
  const h = f.host;
  const commit = { ID: PRODUCT_VERSION };
  const security = [`name=seccomp,profile=${c.seccompProfile}`];
  if (c.userns) security.push('name=userns');
  if (h.cgroupVersion === '2') security.push('name=cgroupns');
  const runtimes: Record<string, Record<string, unknown>> = {};
  for (const [name, rt] of Object.entries(c.runtimes)) {
    runtimes[name] = { path: rt.path, ...(rt.runtimeArgs?.length ? { runtimeArgs: rt.runtimeArgs } : {}) };
  }
  const info: SystemInfo & Record<string, unknown> = {
    ID: c.engineId,
    Containers: f.containers.running + f.containers.paused + f.containers.stopped,
    ContainersRunning: f.containers.running,
    ContainersPaused: f.containers.paused,
    ContainersStopped: f.containers.stopped,
    Images: f.images,
    Driver: c.storageDriver,
    DriverStatus: [['Backing Filesystem', 'extfs'], ['Supports d_type', 'true'], ['Using metacopy', 'false'], ['Native Overlay Diff', 'true'], ['userxattr', 'false']],
    Plugins: {
      Volume: ['local'],
      Network: ['bridge', 'host', 'null'],
      Log: ['json-file', 'local'],
    },
    MemoryLimit: true,
    SwapLimit: true,
    CpuCfsPeriod: true,
    CpuCfsQuota: true,
    CPUShares: true,
    CPUSet: true,
    PidsLimit: true,
    KernelMemoryTCP: h.cgroupVersion === '1',
    OomKillDisable: h.cgroupVersion === '1',
    IPv4Forwarding: true,
    Debug: c.debug,
    NFd: f.fds,
    NGoroutines: 1,
    SystemTime: f.systemTime,
    LoggingDriver: c.loggingDriver,
    CgroupDriver: c.cgroupDriver,
    CgroupVersion: h.cgroupVersion,
    NEventsListener: f.eventListeners,
    KernelVersion: h.kernelVersion,
    OperatingSystem: h.operatingSystem,
    OSVersion: h.osVersion,
    OSType: 'linux',
    Architecture: h.architecture,
    IndexServerAddress: 'https://index.docker.io/v1/',
    RegistryConfig: {
      InsecureRegistryCIDRs: ['::1/128', '127.0.0.0/8', ...c.insecureRegistries.filter((r) => r.includes('/'))],
      IndexConfigs: {
        'docker.io': { Name: 'docker.io', Mirrors: c.registryMirrors, Secure: true, Official: true },
      },
      Mirrors: c.registryMirrors,
    },
    NCPU: h.ncpu,
    MemTotal: h.memTotal,
    DockerRootDir: c.dataRoot,
    HttpProxy: f.proxy.http,
    HttpsProxy: f.proxy.https,
    NoProxy: f.proxy.no,
    Name: c.name,
    Labels: c.labels,
    ExperimentalBuild: c.experimental,
    ServerVersion: ENGINE_VERSION,
    Runtimes: runtimes,
    DefaultRuntime: c.defaultRuntime,
    Swarm: {
      NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null,
    },
    LiveRestoreEnabled: c.liveRestore,
    Isolation: '',
    InitBinary: c.initBinary,
    ContainerdCommit: commit,
    RuncCommit: commit,
    InitCommit: commit,
    SecurityOptions: security,
    DefaultAddressPools: c.defaultAddressPools.map((p) => ({ Base: p.base, Size: p.size })),
    FirewallBackend: f.firewallDriver ? { Driver: f.firewallDriver } : undefined,
    CDISpecDirs: [],
    Warnings: f.warnings,
  };
  // Fields that appeared in later API versions, and ones older clients still expect.
  if (versionLess(version, '1.44')) for (const k in runtimes) delete runtimes[k]!['status'];
  if (versionLess(version, '1.47')) {
    (info.RegistryConfig as Record<string, unknown>)['AllowNondistributableArtifactsCIDRs'] = null;
    (info.RegistryConfig as Record<string, unknown>)['AllowNondistributableArtifactsHostnames'] = null;
  }
  if (versionLess(version, '1.49') || !f.firewallDriver) delete info.FirewallBackend;
  if (versionLess(version, '1.49')) {
    for (const k of ['ContainerdCommit', 'RuncCommit', 'InitCommit'] as const) info[k] = { ...commit, Expected: commit.ID } as never;
  }
  if (versionLess(version, '1.50')) {
    info['BridgeNfIptables'] = false;
    info['BridgeNfIp6tables'] = false;
  }
  return info;
}

export type DiskUsageReports = Partial<Record<DiskUsageKind, DiskUsageReport>>;

const CURRENT_KEYS: Record<DiskUsageKind, string> = {
  images: 'ImageUsage', containers: 'ContainerUsage', volumes: 'VolumeUsage', buildCache: 'BuildCacheUsage',
};

/** /system/df: legacy lists below 1.52; from 1.52 the usage objects, plus legacy unless verbose. */
export function toDiskUsage(r: DiskUsageReports, version: string, verbose: boolean): Record<string, unknown> {
  const legacyFields = versionLess(version, '1.52') || !verbose;
  const out: Record<string, unknown> = {};
  if (legacyFields) {
    if (r.images) {
      out['LayersSize'] = r.images.totalSize;
      out['Images'] = versionLess(version, '1.44')
        ? r.images.items.map((i) => ({ ...(i as object), VirtualSize: (i as { Size?: number }).Size ?? 0 }))
        : r.images.items;
    }
    if (r.containers) out['Containers'] = r.containers.items;
    if (r.volumes) out['Volumes'] = r.volumes.items;
    if (r.buildCache) out['BuildCache'] = r.buildCache.items;
  }
  if (versionLess(version, '1.52')) return out;
  for (const k of Object.keys(CURRENT_KEYS) as DiskUsageKind[]) {
    const rep = r[k];
    if (!rep) continue;
    out[CURRENT_KEYS[k]] = {
      ActiveCount: rep.activeCount,
      TotalCount: rep.totalCount,
      Reclaimable: rep.reclaimable,
      TotalSize: rep.totalSize,
      ...(verbose ? { Items: rep.items } : {}),
    };
  }
  return out;
}
