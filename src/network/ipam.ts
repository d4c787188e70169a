/**
 * IPv4 address management for one bridge network, Docker's default IPAM: the pool is the
 * subnet (or the narrower --ip-range inside it); the network and broadcast addresses are never
 * handed out, the gateway and auxiliary addresses are reserved; allocation is serial — it goes on
 * after the last address handed out and wraps — so a just-released address is not reused at once.
 * The allocation table lives in the network record, which the caller persists atomically.
 */
import { conflict, failedPrecondition, invalidArgument } from '../common/errors.js';
import { broadcast, contains, formatIPv4, parseCidr, parseIPv4, size, within } from './ipv4.js';
import type { Cidr } from './ipv4.js';
import type { IpamPool, NetworkRecord } from './types.js';

export interface PoolRequest {
  subnet: string;
  gateway?: string;
  ipRange?: string;
  auxAddresses?: Record<string, string>;
}

/** Validates a user-chosen pool and fills in the gateway (first usable address), as Docker does. */
export function makePool(req: PoolRequest): IpamPool {
  const subnet = parseCidr(req.subnet, true);
  if (subnet.prefix > 30) throw invalidArgument(`invalid subnet ${req.subnet}: too small for a network`);
  let range: Cidr | undefined;
  if (req.ipRange) {
    range = parseCidr(req.ipRange, true);
    if (!within(subnet, range)) {
      throw invalidArgument(`invalid ip-range ${req.ipRange}: it must be within subnet ${req.subnet}`);
    }
  }
  const gw = req.gateway ? parseIPv4(req.gateway) : subnet.base + 1;
  if (!contains(subnet, gw) || gw === subnet.base || gw === broadcast(subnet)) {
    throw invalidArgument(`invalid gateway address ${req.gateway ?? formatIPv4(gw)}: it must be a host address within subnet ${req.subnet}`);
  }
  for (const [host, ip] of Object.entries(req.auxAddresses ?? {})) {
    if (!contains(subnet, parseIPv4(ip))) throw invalidArgument(`invalid auxiliary address ${host}=${ip}: not within subnet ${req.subnet}`);
  }
  const pool: IpamPool = { subnet: req.subnet, gateway: formatIPv4(gw) };
  if (req.ipRange) pool.ipRange = req.ipRange;
  if (req.auxAddresses && Object.keys(req.auxAddresses).length) pool.auxAddresses = { ...req.auxAddresses };
  return pool;
}

/** The allocation table of a new network: the gateway and auxiliary addresses reserved. */
export function initialAllocations(pool: IpamPool): Record<string, string> {
  const a: Record<string, string> = { [pool.gateway]: 'gateway' };
  for (const ip of Object.values(pool.auxAddresses ?? {})) a[ip] = 'aux';
  return a;
}

function usable(subnet: Cidr, ip: number): boolean {
  return contains(subnet, ip) && ip !== subnet.base && ip !== broadcast(subnet);
}

/**
 * Allocates an address for `owner` in the network's pool, or the `requested` one (--ip), mutating
 * the record's table. Throws conflict for a taken address and invalid-argument for one outside.
 */
export function allocate(net: NetworkRecord, owner: string, requested?: string): string {
  const pool = net.pool;
  if (!pool) throw failedPrecondition(`network ${net.name} has no IPv4 address pool`);
  const subnet = parseCidr(pool.subnet);
  if (requested) {
    const ip = parseIPv4(requested);
    if (!usable(subnet, ip)) {
      throw invalidArgument(`no configured subnet or ip-range contain the IP address ${requested}`);
    }
    if (net.allocations[requested] !== undefined) throw conflict(`Address already in use`);
    net.allocations[requested] = owner;
    return requested;
  }
  const range = pool.ipRange ? parseCidr(pool.ipRange) : subnet;
  const n = size(range);
  const last = net.lastAllocated ? parseIPv4(net.lastAllocated) : undefined;
  const start = last !== undefined && contains(range, last) ? last - range.base + 1 : 0;
  for (let i = 0; i < n; i++) {
    const ip = range.base + ((start + i) % n);
    const s = formatIPv4(ip);
    if (!usable(subnet, ip) || net.allocations[s] !== undefined) continue;
    net.allocations[s] = owner;
    net.lastAllocated = s;
    return s;
  }
  throw failedPrecondition(`no available IPv4 addresses on this network's address pools: ${net.name} (${net.id})`);
}

/** Releases `ip` if `owner` holds it; returns whether anything changed. */
export function release(net: NetworkRecord, ip: string, owner: string): boolean {
  if (net.allocations[ip] !== owner) return false;
  delete net.allocations[ip];
  return true;
}

/** Addresses held by endpoints (not the gateway or auxiliary reservations). */
export function endpointAllocations(net: NetworkRecord): Array<[string, string]> {
  return Object.entries(net.allocations).filter(([, owner]) => owner !== 'gateway' && owner !== 'aux');
}
