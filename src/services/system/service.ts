/**
 * The system service: gathers what /info, /version and /system/df report from the host facts,
 * the daemon's current configuration and the providers other services register. It returns
 * plain facts; the API layer shapes them into Docker's bodies per API version.
 */
import { readdir } from 'node:fs/promises';
import type { HostFacts } from './host.js';
import {
  EMPTY_USAGE, NO_CONTAINERS, NO_IMAGES,
  type ContainerCounts, type ContainerCountsProvider, type DiskUsageKind, type DiskUsageProvider,
  type DiskUsageReport, type ImageCountProvider,
} from './providers.js';

/** The parts of the daemon configuration /info shows; read through a getter so reloads show. */
export interface SystemConfigView {
  engineId: string;
  name: string;
  dataRoot: string;
  debug: boolean;
  experimental: boolean;
  liveRestore: boolean;
  loggingDriver: string;
  cgroupDriver: 'cgroupfs' | 'systemd' | 'none';
  storageDriver: string;
  defaultRuntime: string;
  runtimes: Record<string, { path: string; runtimeArgs?: string[] }>;
  labels: string[];
  insecureRegistries: string[];
  registryMirrors: string[];
  defaultAddressPools: { base: string; size: number }[];
  initBinary: string;
  seccompProfile: string;
  cgroupns: boolean;
  userns: boolean;
}

export interface SystemInfoFacts {
  host: HostFacts;
  config: SystemConfigView;
  containers: ContainerCounts;
  images: number;
  eventListeners: number;
  fds: number;
  systemTime: string;
  warnings: string[];
  proxy: { http: string; https: string; no: string };
  /** The firewall backend the network rules go to ("nftables", "iptables"), '' when none. */
  firewallDriver: string;
}

export interface SystemProviders {
  containers?: ContainerCountsProvider;
  images?: ImageCountProvider;
  diskUsage?: Partial<Record<DiskUsageKind, DiskUsageProvider>>;
  firewallDriver?: () => string;
}

export interface SystemService {
  info(): Promise<SystemInfoFacts>;
  host(): HostFacts;
  diskUsage(kinds: ReadonlySet<DiskUsageKind>, verbose: boolean): Promise<Partial<Record<DiskUsageKind, DiskUsageReport>>>;
  /** Lets the composition root plug providers in as services come up. */
  setProviders(p: SystemProviders): void;
  shutdown(): Promise<void>;
}

export interface SystemServiceDeps {
  host: HostFacts;
  config: () => SystemConfigView;
  eventListeners: () => number;
  providers?: SystemProviders;
}

export function createSystemService(deps: SystemServiceDeps): SystemService {
  let providers: SystemProviders = deps.providers ?? {};
  return {
    host: () => deps.host,
    setProviders(p) {
      providers = { ...providers, ...p, diskUsage: { ...providers.diskUsage, ...p.diskUsage } };
    },
    async info() {
      const config = deps.config();
      const [containers, images, fds] = await Promise.all([
        (providers.containers ?? NO_CONTAINERS).containerCounts(),
        (providers.images ?? NO_IMAGES).imageCount(),
        readdir('/proc/self/fd').then((l) => l.length, () => 0),
      ]);
      const warnings: string[] = [];
      if (deps.host.cgroupVersion === '1') warnings.push('WARNING: Support for cgroup v1 is deprecated and planned to be removed by no later than May 2029 (https://github.com/moby/moby/issues/51111)');
      const env = process.env;
      return {
        host: deps.host,
        config,
        containers,
        images,
        eventListeners: deps.eventListeners(),
        fds,
        systemTime: new Date().toISOString(),
        warnings,
        firewallDriver: providers.firewallDriver?.() ?? '',
        proxy: {
          http: env['HTTP_PROXY'] ?? env['http_proxy'] ?? '',
          https: env['HTTPS_PROXY'] ?? env['https_proxy'] ?? '',
          no: env['NO_PROXY'] ?? env['no_proxy'] ?? '',
        },
      };
    },
    async diskUsage(kinds, verbose) {
      const out: Partial<Record<DiskUsageKind, DiskUsageReport>> = {};
      await Promise.all([...kinds].map(async (k) => {
        out[k] = await (providers.diskUsage?.[k] ?? EMPTY_USAGE).diskUsage({ verbose });
      }));
      return out;
    },
    async shutdown() {},
  };
}
