/**
 * Pure converters from a container record to what the API serves: the `docker ps` summary (with
 * Docker's human Status: "Up 3 minutes (healthy)", "Exited (0) 2 hours ago") and the inspect
 * document in Docker's shape.
 */
import type { ContainerSummary, ContainerInspectResponse } from '../../api/types/generated.js';
import { humanDuration } from '../../common/units.js';
import type { ContainerRecord } from './record.js';

const ZERO_TIME = '0001-01-01T00:00:00Z';

export function statusText(r: ContainerRecord, now = Date.now()): string {
  const s = r.State;
  const since = (t: string) => humanDuration(Math.max(0, now - Date.parse(t)));
  switch (s.Status) {
    case 'running':
    case 'paused': {
      let text = `Up ${since(s.StartedAt)}`;
      if (s.Status === 'paused') text += ' (Paused)';
      else if (s.Health && s.Health.Status !== 'none') text += ` (${s.Health.Status === 'starting' ? 'health: starting' : s.Health.Status})`;
      return text;
    }
    case 'restarting':
      return `Restarting (${s.ExitCode}) ${since(s.FinishedAt)} ago`;
    case 'removing':
      return 'Removal In Progress';
    case 'dead':
      return 'Dead';
    case 'exited':
      return s.FinishedAt && s.FinishedAt !== ZERO_TIME ? `Exited (${s.ExitCode}) ${since(s.FinishedAt)} ago` : 'Created';
    default:
      return 'Created';
  }
}

export function commandLine(r: ContainerRecord): string {
  return [r.Path, ...r.Args].map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ');
}

function portList(r: ContainerRecord): NonNullable<ContainerSummary['Ports']> {
  const out: NonNullable<ContainerSummary['Ports']> = [];
  const exposed = new Set(Object.keys(r.Config.ExposedPorts ?? {}));
  for (const k of Object.keys(r.Ports)) exposed.add(k);
  for (const key of exposed) {
    const [port, proto = 'tcp'] = key.split('/');
    const bindings = r.State.Status === 'running' || r.State.Status === 'paused' ? r.Ports[key] : null;
    if (!bindings?.length) {
      out.push({ PrivatePort: Number(port), Type: proto as 'tcp' });
      continue;
    }
    for (const b of bindings) out.push({ IP: b.HostIp || '0.0.0.0', PrivatePort: Number(port), PublicPort: Number(b.HostPort), Type: proto as 'tcp' });
  }
  return out;
}

export function summary(r: ContainerRecord, imageName: (id: string, asGiven: string) => string): ContainerSummary {
  return {
    Id: r.Id,
    Names: [r.Name],
    Image: imageName(r.Image, r.Config.Image ?? ''),
    ImageID: r.Image,
    Command: commandLine(r),
    Created: Math.floor(Date.parse(r.Created) / 1000),
    Ports: portList(r),
    Labels: r.Config.Labels ?? {},
    State: r.State.Status,
    Status: statusText(r),
    HostConfig: { NetworkMode: r.HostConfig.NetworkMode || 'bridge' },
    NetworkSettings: { Networks: networksView(r) },
    Mounts: r.MountPoints,
  } as ContainerSummary;
}

function networksView(r: ContainerRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, e] of Object.entries(r.Networks)) {
    out[name] = {
      IPAMConfig: null, Links: null, Aliases: e.Aliases ?? null, MacAddress: e.MacAddress, DriverOpts: null,
      NetworkID: e.NetworkID, EndpointID: e.EndpointID, Gateway: e.Gateway, IPAddress: e.IPAddress,
      IPPrefixLen: e.IPPrefixLen, IPv6Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0,
      DNSNames: e.DNSNames ?? null,
    };
  }
  return out;
}

export function inspect(r: ContainerRecord, extra: { rootfsLowerDirs?: string; sizeRw?: number; sizeRootFs?: number } = {}): ContainerInspectResponse {
  const s = r.State;
  const primary = Object.values(r.Networks)[0];
  return {
    Id: r.Id,
    Created: r.Created,
    Path: r.Path,
    Args: r.Args,
    State: {
      Status: s.Status,
      Running: s.Status === 'running' || s.Status === 'paused',
      Paused: s.Status === 'paused',
      Restarting: s.Status === 'restarting',
      OOMKilled: s.OOMKilled,
      Dead: s.Status === 'dead',
      Pid: s.Pid,
      ExitCode: s.ExitCode,
      Error: s.Error,
      StartedAt: s.StartedAt || ZERO_TIME,
      FinishedAt: s.FinishedAt || ZERO_TIME,
      ...(s.Health ? { Health: s.Health } : {}),
    },
    Image: r.Image,
    ResolvConfPath: `${r.LogPath.replace(/[^/]+$/, '')}resolv.conf`,
    HostnamePath: `${r.LogPath.replace(/[^/]+$/, '')}hostname`,
    HostsPath: `${r.LogPath.replace(/[^/]+$/, '')}hosts`,
    LogPath: r.LogPath,
    Name: r.Name,
    RestartCount: r.RestartCount,
    Driver: 'overlay2',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: r.ExecIDs.length ? r.ExecIDs : null,
    // dockerd's ConsoleSize is a fixed [height, width]: [0, 0] when the client sent none.
    HostConfig: { ...r.HostConfig, ConsoleSize: r.HostConfig.ConsoleSize ?? [0, 0] },
    GraphDriver: { Name: 'overlay2', Data: extra.rootfsLowerDirs ? { LowerDir: extra.rootfsLowerDirs } : {} },
    ...(extra.sizeRw !== undefined ? { SizeRw: extra.sizeRw, SizeRootFs: extra.sizeRootFs } : {}),
    Mounts: r.MountPoints,
    Config: r.Config,
    NetworkSettings: {
      Bridge: '',
      SandboxID: '',
      SandboxKey: '',
      HairpinMode: false,
      LinkLocalIPv6Address: '',
      LinkLocalIPv6PrefixLen: 0,
      Ports: r.State.Status === 'running' || r.State.Status === 'paused' ? r.Ports : {},
      SecondaryIPAddresses: null,
      SecondaryIPv6Addresses: null,
      EndpointID: primary?.EndpointID ?? '',
      Gateway: primary?.Gateway ?? '',
      GlobalIPv6Address: '',
      GlobalIPv6PrefixLen: 0,
      IPAddress: primary?.IPAddress ?? '',
      IPPrefixLen: primary?.IPPrefixLen ?? 0,
      IPv6Gateway: '',
      MacAddress: primary?.MacAddress ?? '',
      Networks: networksView(r),
    },
  } as unknown as ContainerInspectResponse;
}
