/**
 * skiffd's configuration: Docker's daemon flags and their `daemon.json` keys, in one table that
 * drives flag parsing (flags.ts), file validation and merging (config-file.ts), `--help` and the
 * SIGHUP reload (which options are reloadable, as dockerd's Daemon.Reload).
 */

export interface Ulimit { Name: string; Soft: number; Hard: number }
export interface RuntimeSpec { path: string; runtimeArgs?: string[] }
export interface AddressPool { base: string; size: number }

export interface DaemonConfig {
  hosts: string[];
  dataRoot: string;
  execRoot: string;
  pidfile: string;
  group: string;
  logLevel: string;
  debug: boolean;
  liveRestore: boolean;
  defaultUlimits: Record<string, Ulimit>;
  logDriver: string;
  logOpts: Record<string, string>;
  runtimes: Record<string, RuntimeSpec>;
  defaultRuntime: string;
  storageDriver: string;
  registryMirrors: string[];
  insecureRegistries: string[];
  bip: string;
  defaultAddressPools: AddressPool[];
  usernsRemap: string;
  tls: boolean;
  tlsverify: boolean;
  tlscacert: string;
  tlscert: string;
  tlskey: string;
  iptables: boolean;
  ipForward: boolean;
  icc: boolean;
  mtu: number;
  dns: string[];
  dnsSearch: string[];
  dnsOpts: string[];
  maxConcurrentDownloads: number;
  maxConcurrentUploads: number;
  shutdownTimeout: number;
  userlandProxy: boolean;
  experimental: boolean;
  features: Record<string, boolean>;
  minApiVersion: string;
  labels: string[];
  init: boolean;
  initPath: string;
}

export type OptionType = 'bool' | 'string' | 'int' | 'list' | 'kv' | 'ulimits' | 'runtimes' | 'pools' | 'features';

export interface OptionSpec {
  /** Long flag name (`data-root`). */
  flag: string;
  short?: string;
  /** Extra accepted flag spellings. */
  aliases?: string[];
  /** daemon.json key; Docker pluralises repeatable flags (`label` → `labels`). */
  key: string;
  field: keyof DaemonConfig;
  type: OptionType;
  help: string;
  /** Applied on SIGHUP, as dockerd reloads it. */
  reload?: boolean;
  /** Value placeholder for --help. */
  arg?: string;
}

export const OPTIONS: readonly OptionSpec[] = [
  { flag: 'host', short: 'H', key: 'hosts', field: 'hosts', type: 'list', arg: 'list', help: 'Daemon socket(s) to connect to' },
  { flag: 'data-root', key: 'data-root', field: 'dataRoot', type: 'string', arg: 'string', help: 'Root directory of persistent Skiff state' },
  { flag: 'exec-root', key: 'exec-root', field: 'execRoot', type: 'string', arg: 'string', help: 'Root directory for execution state files' },
  { flag: 'pidfile', short: 'p', key: 'pidfile', field: 'pidfile', type: 'string', arg: 'string', help: 'Path to use for daemon PID file' },
  { flag: 'group', short: 'G', key: 'group', field: 'group', type: 'string', arg: 'string', help: 'Group for the unix socket' },
  { flag: 'log-level', short: 'l', key: 'log-level', field: 'logLevel', type: 'string', arg: 'string', reload: true, help: 'Set the logging level ("debug"|"info"|"warn"|"error"|"fatal")' },
  { flag: 'debug', short: 'D', key: 'debug', field: 'debug', type: 'bool', reload: true, help: 'Enable debug mode' },
  { flag: 'live-restore', key: 'live-restore', field: 'liveRestore', type: 'bool', reload: true, help: 'Enable live restore of containers when the daemon is down' },
  { flag: 'default-ulimit', key: 'default-ulimits', field: 'defaultUlimits', type: 'ulimits', arg: 'ulimit', help: 'Default ulimits for containers' },
  { flag: 'log-driver', key: 'log-driver', field: 'logDriver', type: 'string', arg: 'string', help: 'Default driver for container logs' },
  { flag: 'log-opt', key: 'log-opts', field: 'logOpts', type: 'kv', arg: 'map', help: 'Default log driver options for containers' },
  { flag: 'add-runtime', key: 'runtimes', field: 'runtimes', type: 'runtimes', arg: 'runtime', reload: true, help: 'Register an additional OCI compatible runtime' },
  { flag: 'default-runtime', key: 'default-runtime', field: 'defaultRuntime', type: 'string', arg: 'string', reload: true, help: 'Default OCI runtime for containers' },
  { flag: 'storage-driver', short: 's', key: 'storage-driver', field: 'storageDriver', type: 'string', arg: 'string', help: 'Storage driver to use' },
  { flag: 'registry-mirror', key: 'registry-mirrors', field: 'registryMirrors', type: 'list', arg: 'list', reload: true, help: 'Preferred registry mirror' },
  { flag: 'insecure-registry', key: 'insecure-registries', field: 'insecureRegistries', type: 'list', arg: 'list', reload: true, help: 'Enable insecure registry communication' },
  { flag: 'bip', key: 'bip', field: 'bip', type: 'string', arg: 'string', help: 'IPv4 address for the default bridge' },
  { flag: 'default-address-pool', key: 'default-address-pools', field: 'defaultAddressPools', type: 'pools', arg: 'pool-options', help: 'Default address pools for node specific local networks' },
  { flag: 'userns-remap', key: 'userns-remap', field: 'usernsRemap', type: 'string', arg: 'string', help: 'User/Group setting for user namespaces' },
  { flag: 'tls', key: 'tls', field: 'tls', type: 'bool', help: 'Use TLS; implied by --tlsverify' },
  { flag: 'tlsverify', key: 'tlsverify', field: 'tlsverify', type: 'bool', help: 'Use TLS and verify the remote' },
  { flag: 'tlscacert', key: 'tlscacert', field: 'tlscacert', type: 'string', arg: 'string', help: 'Trust certs signed only by this CA' },
  { flag: 'tlscert', key: 'tlscert', field: 'tlscert', type: 'string', arg: 'string', help: 'Path to TLS certificate file' },
  { flag: 'tlskey', key: 'tlskey', field: 'tlskey', type: 'string', arg: 'string', help: 'Path to TLS key file' },
  { flag: 'iptables', key: 'iptables', field: 'iptables', type: 'bool', help: 'Enable addition of iptables rules' },
  { flag: 'ip-forward', key: 'ip-forward', field: 'ipForward', type: 'bool', help: 'Enable IP forwarding in system configuration' },
  { flag: 'icc', key: 'icc', field: 'icc', type: 'bool', help: 'Enable inter-container communication for the default bridge network' },
  { flag: 'mtu', key: 'mtu', field: 'mtu', type: 'int', arg: 'int', help: 'Set the MTU for the default "bridge" network' },
  { flag: 'dns', key: 'dns', field: 'dns', type: 'list', arg: 'list', help: 'DNS server to use' },
  { flag: 'dns-search', key: 'dns-search', field: 'dnsSearch', type: 'list', arg: 'list', help: 'DNS search domains to use' },
  { flag: 'dns-opt', key: 'dns-opts', field: 'dnsOpts', type: 'list', arg: 'list', help: 'DNS options to use' },
  { flag: 'max-concurrent-downloads', key: 'max-concurrent-downloads', field: 'maxConcurrentDownloads', type: 'int', arg: 'int', reload: true, help: 'Set the max concurrent downloads' },
  { flag: 'max-concurrent-uploads', key: 'max-concurrent-uploads', field: 'maxConcurrentUploads', type: 'int', arg: 'int', reload: true, help: 'Set the max concurrent uploads' },
  { flag: 'shutdown-timeout', key: 'shutdown-timeout', field: 'shutdownTimeout', type: 'int', arg: 'int', reload: true, help: 'Set the default shutdown timeout' },
  { flag: 'userland-proxy', key: 'userland-proxy', field: 'userlandProxy', type: 'bool', help: 'Use userland proxy for loopback traffic' },
  { flag: 'experimental', key: 'experimental', field: 'experimental', type: 'bool', help: 'Enable experimental features' },
  { flag: 'feature', aliases: ['features'], key: 'features', field: 'features', type: 'features', arg: 'map', reload: true, help: 'Enable feature in the daemon' },
  { flag: 'min-api-version', key: 'min-api-version', field: 'minApiVersion', type: 'string', arg: 'string', help: 'Lowest Engine API version served (default 1.24)' },
  { flag: 'label', key: 'labels', field: 'labels', type: 'list', arg: 'list', reload: true, help: 'Set key=value labels to the daemon' },
  { flag: 'init', key: 'init', field: 'init', type: 'bool', help: 'Run an init in the container to forward signals and reap processes' },
  { flag: 'init-path', key: 'init-path', field: 'initPath', type: 'string', arg: 'string', help: 'Path to the docker-init binary' },
];

export const DEFAULT_DATA_ROOT = '/var/lib/skiff';
export const DEFAULT_EXEC_ROOT = '/run/skiff';
export const DEFAULT_CONFIG_FILE = '/etc/skiff/daemon.json';

/** Defaults; an empty `pidfile` or `hosts` means "derived from exec-root" (see resolvePaths). */
export function defaultConfig(): DaemonConfig {
  return {
    hosts: [], dataRoot: DEFAULT_DATA_ROOT, execRoot: DEFAULT_EXEC_ROOT, pidfile: '', group: 'skiff',
    logLevel: 'info', debug: false, liveRestore: false, defaultUlimits: {}, logDriver: 'json-file',
    logOpts: {}, runtimes: {}, defaultRuntime: 'runc', storageDriver: 'overlay2', registryMirrors: [],
    insecureRegistries: [], bip: '', defaultAddressPools: [], usernsRemap: '', tls: false, tlsverify: false,
    tlscacert: '', tlscert: '', tlskey: '', iptables: true, ipForward: true, icc: true, mtu: 1500, dns: [],
    dnsSearch: [], dnsOpts: [], maxConcurrentDownloads: 3, maxConcurrentUploads: 5, shutdownTimeout: 15,
    userlandProxy: true, experimental: false, features: {}, minApiVersion: '1.24', labels: [],
    init: false, initPath: '',
  };
}

/** Fills what defaults to a place under exec-root: the socket and the pidfile. */
export function resolvePaths(c: DaemonConfig): DaemonConfig {
  return {
    ...c,
    hosts: c.hosts.length ? c.hosts : [`unix://${c.execRoot}/skiff.sock`],
    pidfile: c.pidfile || `${c.execRoot}/skiffd.pid`,
  };
}

export const OPTION_BY_FLAG = new Map<string, OptionSpec>();
export const OPTION_BY_KEY = new Map<string, OptionSpec>();
for (const o of OPTIONS) {
  OPTION_BY_FLAG.set(o.flag, o);
  for (const a of o.aliases ?? []) OPTION_BY_FLAG.set(a, o);
  if (o.short) OPTION_BY_FLAG.set(o.short, o);
  OPTION_BY_KEY.set(o.key, o);
}
