/**
 * The flags `create` and `run` share (docker's containerOptions) and their translation into the
 * Engine API's create body: Config, HostConfig and NetworkingConfig.
 */
import type { FlagDef, FlagValues } from '../framework/flags.js';
import { durationNs, parseEnv, parseMount, parsePorts, parseUlimit, ramInBytes, readEnvFile, restartPolicy } from './values.js';

const s = (long: string, help: string, short?: string): FlagDef => ({ long, short, kind: 'string', help });
const b = (long: string, help: string, short?: string): FlagDef => ({ long, short, kind: 'bool', help });
const l = (long: string, help: string, short?: string): FlagDef => ({ long, short, kind: 'list', help });

export const CREATE_FLAGS: FlagDef[] = [
  l('add-host', 'Add a custom host-to-IP mapping (host:ip)'), l('attach', 'Attach to STDIN, STDOUT or STDERR', 'a'),
  l('cap-add', 'Add Linux capabilities'), l('cap-drop', 'Drop Linux capabilities'), s('cidfile', 'Write the container ID to the file'),
  s('cpus', 'Number of CPUs'), s('cpu-shares', 'CPU shares (relative weight)', 'c'), s('cpuset-cpus', 'CPUs in which to allow execution (0-3, 0,1)'),
  l('device', 'Add a host device to the container'), l('dns', 'Set custom DNS servers'), l('dns-search', 'Set custom DNS search domains'),
  l('dns-option', 'Set DNS options'), s('entrypoint', 'Overwrite the default ENTRYPOINT of the image'), l('env', 'Set environment variables', 'e'),
  l('env-file', 'Read in a file of environment variables'), l('expose', 'Expose a port or a range of ports'),
  l('group-add', 'Add additional groups to join'), s('health-cmd', 'Command to run to check health'),
  s('health-interval', 'Time between running the check (ms|s|m|h) (default 0s)'), s('health-retries', 'Consecutive failures needed to report unhealthy'),
  s('health-start-period', 'Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)'),
  s('health-timeout', 'Maximum time to allow one check to run (ms|s|m|h) (default 0s)'), s('hostname', 'Container host name', 'h'),
  b('init', 'Run an init inside the container that forwards signals and reaps processes'), b('interactive', 'Keep STDIN open even if not attached', 'i'),
  s('ip', 'IPv4 address (e.g., 172.30.100.104)'), s('ipc', 'IPC mode to use'), l('label', 'Set meta data on a container', 'l'),
  s('log-driver', 'Logging driver for the container'), l('log-opt', 'Log driver options'), s('mac-address', 'Container MAC address (e.g., 92:d0:c6:0a:29:33)'),
  s('memory', 'Memory limit', 'm'), s('memory-swap', "Swap limit equal to memory plus swap: '-1' to enable unlimited swap"),
  l('mount', 'Attach a filesystem mount to the container'), s('name', 'Assign a name to the container'), s('network', 'Connect a container to a network'),
  l('network-alias', 'Add network-scoped alias for the container'), b('no-healthcheck', 'Disable any container-specified HEALTHCHECK'),
  b('oom-kill-disable', 'Disable OOM Killer'), s('pid', 'PID namespace to use'), { long: 'pids-limit', kind: 'int', help: 'Tune container pids limit (set -1 for unlimited)' },
  s('platform', 'Set platform if server is multi-platform capable'), b('privileged', 'Give extended privileges to this container'),
  l('publish', "Publish a container's port(s) to the host", 'p'), b('publish-all', 'Publish all exposed ports to random ports', 'P'),
  { long: 'pull', kind: 'string', help: 'Pull image before creating ("always", "missing", "never")', default: 'missing' },
  b('quiet', 'Suppress the pull output', 'q'), b('read-only', "Mount the container's root filesystem as read only"),
  { long: 'restart', kind: 'string', help: 'Restart policy to apply when a container exits', default: 'no' },
  b('rm', 'Automatically remove the container and its associated anonymous volumes when it exits'), s('runtime', 'Runtime to use for this container'),
  l('security-opt', 'Security Options'), s('shm-size', 'Size of /dev/shm'), s('stop-signal', 'Signal to stop the container'),
  { long: 'stop-timeout', kind: 'int', help: 'Timeout (in seconds) to stop a container' }, l('sysctl', 'Sysctl options'),
  l('tmpfs', 'Mount a tmpfs directory'), b('tty', 'Allocate a pseudo-TTY', 't'), l('ulimit', 'Ulimit options'),
  s('user', 'Username or UID (format: <name|uid>[:<group|gid>])', 'u'), s('userns', 'User namespace to use'), s('uts', 'UTS namespace to use'),
  l('volume', 'Bind mount a volume', 'v'), l('volumes-from', 'Mount volumes from the specified container(s)'),
  s('workdir', 'Working directory inside the container', 'w'),
];

export interface CreateBody {
  name?: string;
  platform?: string;
  body: Record<string, any>;
}

const kv = (list: string[]): Record<string, string> =>
  Object.fromEntries(list.map((e) => { const i = e.indexOf('='); return i < 0 ? [e, ''] : [e.slice(0, i), e.slice(i + 1)]; }));

export function buildCreate(o: FlagValues, image: string, cmd: string[], attachDefault: boolean): CreateBody {
  const env = [...o.list('env-file').flatMap(readEnvFile), ...parseEnv(o.list('env'))];
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of o.list('publish')) {
    for (const spec of parsePorts(p)) {
      exposed[spec.exposed] = {};
      (bindings[spec.exposed] ??= []).push(spec.binding!);
    }
  }
  for (const e of o.list('expose')) exposed[e.includes('/') ? e : `${e}/tcp`] = {};
  const volumes: Record<string, object> = {};
  const binds: string[] = [];
  for (const v of o.list('volume')) {
    if (v.includes(':')) binds.push(v);
    else volumes[v] = {};
  }
  const attach = o.list('attach').map((a) => a.toLowerCase());
  const stdin = o.bool('interactive');
  const attachAll = attach.length === 0 && attachDefault;
  const network = o.str('network');
  const tmpfs: Record<string, string> = {};
  for (const t of o.list('tmpfs')) {
    const i = t.indexOf(':');
    tmpfs[i < 0 ? t : t.slice(0, i)] = i < 0 ? '' : t.slice(i + 1);
  }
  const health = o.bool('no-healthcheck') ? { Test: ['NONE'] } : o.has('health-cmd') || o.has('health-interval') ? {
    Test: o.has('health-cmd') ? ['CMD-SHELL', o.str('health-cmd')] : undefined,
    Interval: o.has('health-interval') ? durationNs(o.str('health-interval')) : 0,
    Timeout: o.has('health-timeout') ? durationNs(o.str('health-timeout')) : 0,
    StartPeriod: o.has('health-start-period') ? durationNs(o.str('health-start-period')) : 0,
    Retries: o.has('health-retries') ? Number(o.str('health-retries')) : 0,
  } : undefined;
  const config: Record<string, any> = {
    Hostname: o.str('hostname'), User: o.str('user'), AttachStdin: stdin && (attachAll || attach.includes('stdin')),
    AttachStdout: attachAll || attach.includes('stdout'), AttachStderr: attachAll || attach.includes('stderr'),
    ExposedPorts: Object.keys(exposed).length ? exposed : undefined, Tty: o.bool('tty'), OpenStdin: stdin,
    StdinOnce: stdin && (attachAll || attach.includes('stdin')), Env: env, Cmd: cmd.length ? cmd : null, Image: image,
    Volumes: Object.keys(volumes).length ? volumes : undefined, WorkingDir: o.str('workdir'),
    Entrypoint: o.has('entrypoint') ? [o.str('entrypoint')] : null, Labels: kv(o.list('label')),
    StopSignal: o.str('stop-signal') || undefined, StopTimeout: o.has('stop-timeout') ? o.int('stop-timeout') : undefined,
    Healthcheck: health, MacAddress: o.str('mac-address') || undefined,
  };
  const logOpts = kv(o.list('log-opt'));
  const hostConfig: Record<string, any> = {
    Binds: binds.length ? binds : null, NetworkMode: network || 'default', PortBindings: bindings,
    RestartPolicy: restartPolicy(o.str('restart')), AutoRemove: o.bool('rm'), VolumesFrom: o.list('volumes-from'),
    CapAdd: o.list('cap-add'), CapDrop: o.list('cap-drop'), Dns: o.list('dns'), DnsOptions: o.list('dns-option'),
    DnsSearch: o.list('dns-search'), ExtraHosts: o.list('add-host'), GroupAdd: o.list('group-add'),
    IpcMode: o.str('ipc'), PidMode: o.str('pid'), UTSMode: o.str('uts'), UsernsMode: o.str('userns'),
    Privileged: o.bool('privileged'), PublishAllPorts: o.bool('publish-all'), ReadonlyRootfs: o.bool('read-only'),
    SecurityOpt: o.list('security-opt'), Tmpfs: Object.keys(tmpfs).length ? tmpfs : undefined,
    Init: o.bool('init') ? true : undefined, Runtime: o.str('runtime') || undefined,
    Sysctls: o.list('sysctl').length ? kv(o.list('sysctl')) : undefined, Mounts: o.list('mount').map(parseMount),
    LogConfig: { Type: o.str('log-driver'), Config: logOpts }, ShmSize: o.has('shm-size') ? ramInBytes(o.str('shm-size')) : undefined,
    Memory: o.has('memory') ? ramInBytes(o.str('memory')) : 0,
    MemorySwap: o.has('memory-swap') ? (o.str('memory-swap') === '-1' ? -1 : ramInBytes(o.str('memory-swap'))) : 0,
    NanoCpus: o.has('cpus') ? Math.round(Number(o.str('cpus')) * 1e9) : 0, CpuShares: o.has('cpu-shares') ? Number(o.str('cpu-shares')) : 0,
    CpusetCpus: o.str('cpuset-cpus'), PidsLimit: o.has('pids-limit') ? o.int('pids-limit') : undefined,
    Ulimits: o.list('ulimit').map(parseUlimit), OomKillDisable: o.has('oom-kill-disable') ? o.bool('oom-kill-disable') : undefined,
    Devices: o.list('device').map((d) => { const [h, c, p] = d.split(':'); return { PathOnHost: h, PathInContainer: c ?? h, CgroupPermissions: p ?? 'rwm' }; }),
    // As docker: with -t the terminal's size, so the container's pty has it from the start.
    ConsoleSize: o.bool('tty') && process.stdout.isTTY ? [process.stdout.rows, process.stdout.columns] : [0, 0],
  };
  if (o.has('cpus') && !(Number(o.str('cpus')) >= 0)) throw new Error(`invalid argument "${o.str('cpus')}" for "--cpus" flag: failed to parse ${o.str('cpus')} as a rational number`);
  const endpoint: Record<string, any> = {};
  if (o.list('network-alias').length) endpoint['Aliases'] = o.list('network-alias');
  if (o.str('ip')) endpoint['IPAMConfig'] = { IPv4Address: o.str('ip') };
  const netName = network && !['default', 'bridge', 'host', 'none'].includes(network) && !network.startsWith('container:') ? network : '';
  const networking = netName || Object.keys(endpoint).length ? { EndpointsConfig: { [netName || network || 'default']: endpoint } } : undefined;
  return {
    name: o.str('name') || undefined,
    platform: o.str('platform') || undefined,
    body: { ...config, HostConfig: hostConfig, NetworkingConfig: networking },
  };
}
