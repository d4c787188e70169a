/**
 * Choosing a subnet for a network created without --subnet (and for the default bridge without
 * `bip`): the first subnet of the configured address pools that overlaps neither an existing
 * network nor a route of the host, as Docker's default-address-pools. Docker's defaults are
 * 172.17.0.0/16 … 172.31.0.0/16 as /16s, then 192.168.0.0/16 cut into /20s.
 */
import { readFileSync } from 'node:fs';
import { failedPrecondition, invalidArgument } from '../common/errors.js';
import { formatCidr, overlaps, parseCidr } from './ipv4.js';
import type { Cidr } from './ipv4.js';

export interface AddressPool {
  base: string;
  size: number;
}

export const DEFAULT_ADDRESS_POOLS: readonly AddressPool[] = [
  ...Array.from({ length: 15 }, (_, i) => ({ base: `172.${17 + i}.0.0/16`, size: 16 })),
  { base: '192.168.0.0/16', size: 20 },
];

/** Every subnet of the pools, in order. */
export function* candidates(pools: readonly AddressPool[]): Generator<Cidr> {
  for (const p of pools) {
    const base = parseCidr(p.base);
    if (p.size < base.prefix || p.size > 30) throw invalidArgument(`invalid address pool ${p.base} with size ${p.size}`);
    const count = 2 ** (p.size - base.prefix);
    const step = 2 ** (32 - p.size);
    for (let i = 0; i < count; i++) yield { base: (base.base + i * step) >>> 0, prefix: p.size };
  }
}

/** The first free subnet; `taken` holds existing networks' subnets and the host's routes. */
export function selectSubnet(pools: readonly AddressPool[], taken: readonly Cidr[]): string {
  for (const c of candidates(pools)) {
    if (!taken.some((t) => overlaps(t, c))) return formatCidr(c);
  }
  throw failedPrecondition('all predefined address pools have been fully subnetted');
}

/**
 * The host's IPv4 routes from /proc/net/route (little-endian hex), without default routes and
 * without routes through skiff's own bridges (`ignore`), which are its networks anyway.
 */
export function parseProcRoutes(text: string, ignore: ReadonlySet<string> = new Set()): Cidr[] {
  const out: Cidr[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8 || ignore.has(f[0]!)) continue;
    const dest = Buffer.from(f[1]!, 'hex').readUInt32LE(0);
    const mask = Buffer.from(f[7]!, 'hex').readUInt32LE(0);
    if (mask === 0) continue;
    let prefix = 0;
    for (let m = mask; m & 0x80000000; m = (m << 1) >>> 0) prefix++;
    out.push({ base: dest, prefix });
  }
  return out;
}

export function hostRoutes(ignore: ReadonlySet<string> = new Set()): Cidr[] {
  try {
    return parseProcRoutes(readFileSync('/proc/net/route', 'utf8'), ignore);
  } catch {
    return [];
  }
}
