/**
 * Settings of the network library, from the daemon's configuration (daemon.json keys in
 * comments). Tests give every daemon its own roots, bridge name, subnet and table name.
 */
import type { AddressPool } from './pools.js';
import { DEFAULT_ADDRESS_POOLS } from './pools.js';

export interface NetworkOptions {
  dataRoot: string;
  execRoot: string;
  /** Device of the default `bridge` network (`bridge`; Docker's docker0). */
  bridgeName?: string;
  /** `bip`: address and prefix of the default bridge, e.g. 172.17.0.1/16. */
  bip?: string;
  /** `default-address-pools`. */
  defaultAddressPools?: AddressPool[];
  /** `mtu`. */
  mtu?: number;
  /** `icc`. */
  icc?: boolean;
  /** `ip-masq`. */
  ipMasq?: boolean;
  /** `ip`: default host address for published ports. */
  ip?: string;
  /** `host-gateway-ip`; defaults to the default bridge's gateway. */
  hostGatewayIp?: string;
  /** nftables table name (one per daemon); with iptables, the prefix of skiff's chains. */
  table?: string;
  /**
   * `iptables: false` turns the firewall off; 'auto' uses nft when present, else iptables;
   * 'iptables' uses iptables even where nft exists (SKIFF_FIREWALL=iptables, for tests).
   */
  firewall?: 'auto' | 'iptables' | 'none';
  /** Host files read for containers' resolv.conf and host-mode hosts. */
  hostResolvConf?: string;
  hostHosts?: string;
  /** Upstreams of the embedded DNS, overriding the host's resolv.conf (`ip` or `ip:port`). */
  dnsUpstreams?: string[];
  /** Range for random host ports; the kernel's ephemeral range by default. */
  portRange?: [number, number];
}

export interface ResolvedOptions extends Required<Omit<NetworkOptions, 'bip' | 'hostGatewayIp' | 'dnsUpstreams' | 'portRange'>> {
  bip?: string;
  hostGatewayIp?: string;
  dnsUpstreams?: string[];
  portRange?: [number, number];
}

export function resolveOptions(o: NetworkOptions): ResolvedOptions {
  return {
    ...o,
    bridgeName: o.bridgeName ?? 'skiff0',
    defaultAddressPools: o.defaultAddressPools ?? [...DEFAULT_ADDRESS_POOLS],
    mtu: o.mtu ?? 1500,
    icc: o.icc ?? true,
    ipMasq: o.ipMasq ?? true,
    ip: o.ip ?? '0.0.0.0',
    table: o.table ?? 'skiff',
    firewall: o.firewall ?? 'auto',
    hostResolvConf: o.hostResolvConf ?? '/etc/resolv.conf',
    hostHosts: o.hostHosts ?? '/etc/hosts',
  };
}
