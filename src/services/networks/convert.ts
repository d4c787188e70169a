/**
 * Pure converters from the network library's records to the Engine API's shapes: the network
 * inspect/list object, a container's NetworkSettings.Networks entries and its Ports map.
 */
import type { EndpointResource, EndpointSettings, IPAMConfig, NetworkInspect, PortMap } from '../../api/types/generated.js';
import type { EndpointRecord, NetworkRecord, SandboxRecord } from '../../network/types.js';

/** Docker sends IPAM.Options null on the default bridge; the generated type lacks the null. */
export type NetworkApi = Omit<NetworkInspect, 'IPAM'> & { IPAM: { Driver: string; Options: Record<string, string> | null; Config: IPAMConfig[] } };

export function toNetworkApi(n: NetworkRecord, endpoints: Array<{ sb: SandboxRecord; ep: EndpointRecord }> | undefined): NetworkApi {
  const config: IPAMConfig[] = [];
  if (n.pool) {
    const c: IPAMConfig = { Subnet: n.pool.subnet, Gateway: n.pool.gateway };
    if (n.pool.ipRange) c.IPRange = n.pool.ipRange;
    if (n.pool.auxAddresses) c.AuxiliaryAddresses = n.pool.auxAddresses;
    config.push(c);
  }
  const containers: Record<string, EndpointResource> = {};
  for (const { sb, ep } of endpoints ?? []) {
    containers[sb.containerId] = {
      Name: sb.containerName,
      EndpointID: ep.id,
      MacAddress: ep.mac,
      IPv4Address: ep.ip ? `${ep.ip}/${ep.prefix}` : '',
      IPv6Address: '',
    };
  }
  return {
    Name: n.name,
    Id: n.id,
    Created: n.created,
    Scope: 'local',
    Driver: n.driver,
    EnableIPv4: true,
    EnableIPv6: n.enableIPv6,
    IPAM: { Driver: 'default', Options: n.predefined && n.driver === 'bridge' ? null : n.ipamOptions, Config: config },
    Internal: n.internal,
    Attachable: n.attachable,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: containers,
    Options: n.options,
    Labels: n.labels,
  };
}

/** One entry of a container's NetworkSettings.Networks. */
export function toEndpointSettings(n: NetworkRecord, ep: EndpointRecord): EndpointSettings {
  return {
    IPAMConfig: null,
    Links: [],
    Aliases: ep.aliases,
    MacAddress: ep.mac,
    DriverOpts: null,
    NetworkID: n.id,
    EndpointID: ep.id,
    Gateway: ep.gateway,
    IPAddress: ep.ip,
    IPPrefixLen: ep.prefix,
    IPv6Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    DNSNames: ep.dnsNames,
  };
}

/** NetworkSettings.Ports: every exposed or published port, null when not published. */
export function toPortMap(sb: SandboxRecord | undefined, exposed: Record<string, unknown> = {}): PortMap {
  const out: PortMap = {};
  for (const key of Object.keys(exposed)) out[key.includes('/') ? key : `${key}/tcp`] = null;
  for (const m of sb?.ports ?? []) {
    const key = `${m.containerPort}/${m.proto}`;
    (out[key] ??= []).push({ HostIp: m.hostIp, HostPort: String(m.hostPort) });
  }
  return out;
}
