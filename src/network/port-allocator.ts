/**
 * Host port bookkeeping across all containers, as Docker's portallocator: a host port is owned
 * per protocol and address, and 0.0.0.0 (or ::) clashes with every address. Random ports come
 * from the kernel's ephemeral range, walked from a rolling cursor so a just-freed port is not
 * handed out again at once. Whether another process holds a port is learnt when the proxy binds.
 */
import { readFileSync } from 'node:fs';
import { conflict, unavailable } from '../common/errors.js';
import type { Proto } from './types.js';

const ANY = new Set(['0.0.0.0', '::', '']);

export function ephemeralRange(): [number, number] {
  try {
    const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (lo && hi && lo <= hi) return [lo, hi];
  } catch { /* fall through to Docker's default */ }
  return [49153, 65535];
}

export function alreadyAllocated(hostIp: string, port: number): Error {
  return conflict(`Bind for ${hostIp.includes(':') ? `[${hostIp}]` : hostIp}:${port} failed: port is already allocated`);
}

export class PortAllocator {
  private readonly used = new Map<string, Set<string>>();
  private cursor: number;

  constructor(private readonly range: [number, number] = ephemeralRange()) {
    this.cursor = range[0];
  }

  private key(proto: Proto, port: number): string {
    return `${proto}/${port}`;
  }

  isTaken(proto: Proto, ip: string, port: number): boolean {
    const ips = this.used.get(this.key(proto, port));
    if (!ips || ips.size === 0) return false;
    if (ANY.has(ip)) return true;
    for (const held of ips) if (held === ip || ANY.has(held)) return true;
    return false;
  }

  /** Takes a specific port; throws Docker's "port is already allocated" conflict. */
  reserve(proto: Proto, ip: string, port: number): void {
    if (this.isTaken(proto, ip, port)) throw alreadyAllocated(ip, port);
    const k = this.key(proto, port);
    let ips = this.used.get(k);
    if (!ips) this.used.set(k, (ips = new Set()));
    ips.add(ip);
  }

  /** Takes a free port in [lo, hi] (the ephemeral range for [0, 0]), skipping `exclude`. */
  reserveAny(proto: Proto, ip: string, lo = 0, hi = 0, exclude: ReadonlySet<number> = new Set()): number {
    const [a, b] = lo === 0 ? this.range : [lo, hi];
    const n = b - a + 1;
    const start = this.cursor >= a && this.cursor <= b ? this.cursor - a : 0;
    for (let i = 0; i < n; i++) {
      const port = a + ((start + i) % n);
      if (exclude.has(port) || this.isTaken(proto, ip, port)) continue;
      this.reserve(proto, ip, port);
      if (lo === 0) this.cursor = port + 1;
      return port;
    }
    if (lo !== 0) throw alreadyAllocated(ip, lo);
    throw unavailable(`no free host port for ${proto} in ${a}-${b}`);
  }

  release(proto: Proto, ip: string, port: number): void {
    const k = this.key(proto, port);
    const ips = this.used.get(k);
    ips?.delete(ip);
    if (ips && ips.size === 0) this.used.delete(k);
  }
}
