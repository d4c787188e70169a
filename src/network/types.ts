/**
 * The network library's records: what is persisted for a network (its IPAM allocations included)
 * and for a container's sandbox (its namespace, endpoints, published ports and DNS settings).
 * Records are plain JSON so they survive a daemon restart unchanged.
 */

/** Docker's driver names; `null` is the driver of the predefined `none` network. */
export type DriverName = 'bridge' | 'host' | 'null';

export interface IpamPool {
  subnet: string;
  gateway: string;
  ipRange?: string;
  auxAddresses?: Record<string, string>;
}

export interface NetworkRecord {
  id: string;
  name: string;
  driver: DriverName;
  created: string;
  /** host, none and the default bridge exist from start and cannot be removed. */
  predefined: boolean;
  internal: boolean;
  attachable: boolean;
  enableIPv6: boolean;
  labels: Record<string, string>;
  options: Record<string, string>;
  ipamOptions: Record<string, string>;
  /** Present for bridge networks only. */
  pool?: IpamPool;
  /** Whether the user chose the subnet (kept as given in inspect) or a default pool did. */
  userSubnet?: boolean;
  bridge?: BridgeSettings;
  /** Allocated addresses → owner (an endpoint id, or "gateway"). */
  allocations: Record<string, string>;
  /** Last address handed out, so a released address is not reused at once (Docker's serial IPAM). */
  lastAllocated?: string;
}

export interface BridgeSettings {
  name: string;
  mtu: number;
  icc: boolean;
  masquerade: boolean;
  hostBindingIpv4: string;
  /** The bridge device existed before skiff used it (then it is never deleted). */
  preexisting?: boolean;
}

export type Proto = 'tcp' | 'udp' | 'sctp';

/** One published port, after allocation. */
export interface PortMapping {
  proto: Proto;
  containerPort: number;
  hostIp: string;
  hostPort: number;
}

export interface EndpointRecord {
  id: string;
  networkId: string;
  /** Interface name inside the namespace: eth0, eth1, … */
  ifName: string;
  /** Host side of the veth pair, attached to the bridge. */
  hostVeth: string;
  ip: string;
  prefix: number;
  gateway: string;
  mac: string;
  aliases: string[];
  /** Names this endpoint answers to in the embedded DNS (name, aliases, short id). */
  dnsNames: string[];
  /** Whether this endpoint holds the default route. */
  gatewayEndpoint: boolean;
}

export type SandboxMode = 'bridge' | 'host' | 'none' | 'container';

export interface DnsSettings {
  servers: string[];
  search: string[];
  options: string[];
}

export interface SandboxRecord {
  containerId: string;
  containerName: string;
  hostname: string;
  domainname: string;
  mode: SandboxMode;
  /** Netns file; absent for host mode, the other container's path for container mode. */
  netnsPath?: string;
  /** Container mode: whose namespace this one joined. */
  sharedWith?: string;
  filesDir: string;
  hostsPath: string;
  resolvConfPath: string;
  hostnamePath: string;
  endpoints: EndpointRecord[];
  ports: PortMapping[];
  dns: Partial<DnsSettings>;
  extraHosts: string[];
  /** Whether the embedded DNS listens in this sandbox (attached to a user-defined network). */
  embeddedDns: boolean;
}
