/**
 * IPv4 arithmetic on unsigned 32-bit integers: parsing addresses and CIDR prefixes, containment,
 * overlap, and Docker's address-derived MAC (02:42 followed by the four address bytes). Pure
 * functions, shared by IPAM, pool selection and rule generation.
 */
import { invalidArgument } from '../common/errors.js';

export interface Cidr {
  /** Network address (host bits cleared). */
  base: number;
  prefix: number;
}

const IPV4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function isIPv4(s: string): boolean {
  const m = IPV4_RE.exec(s);
  return m !== null && m.slice(1).every((o) => Number(o) <= 255 && (o === '0' || !o.startsWith('0')));
}

export function parseIPv4(s: string): number {
  if (!isIPv4(s)) throw invalidArgument(`invalid IP address: ${s}`);
  return s.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function size(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

/** Parses `a.b.c.d/n`, clearing host bits; `strictBase` rejects set host bits as Docker does for subnets. */
export function parseCidr(s: string, strictBase = false): Cidr {
  const slash = s.indexOf('/');
  if (slash < 0) throw invalidArgument(`invalid CIDR address: ${s}`);
  const addr = s.slice(0, slash);
  const p = s.slice(slash + 1);
  if (!/^\d{1,2}$/.test(p) || Number(p) > 32 || !isIPv4(addr)) throw invalidArgument(`invalid CIDR address: ${s}`);
  const prefix = Number(p);
  const base = (parseIPv4(addr) & maskOf(prefix)) >>> 0;
  if (strictBase && base !== parseIPv4(addr)) {
    throw invalidArgument(`invalid subnet ${s}: it should be ${formatIPv4(base)}/${prefix}`);
  }
  return { base, prefix };
}

/** Address part of a CIDR string as given (the gateway form `172.17.0.1/16` keeps its host bits). */
export function cidrAddress(s: string): number {
  return parseIPv4(s.slice(0, s.indexOf('/')));
}

export function formatCidr(c: Cidr): string {
  return `${formatIPv4(c.base)}/${c.prefix}`;
}

export function contains(c: Cidr, ip: number): boolean {
  return ((ip & maskOf(c.prefix)) >>> 0) === c.base;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  const p = Math.min(a.prefix, b.prefix);
  const m = maskOf(p);
  return ((a.base & m) >>> 0) === ((b.base & m) >>> 0);
}

/** `inner` lies entirely within `outer`. */
export function within(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && contains(outer, inner.base);
}

export function broadcast(c: Cidr): number {
  return (c.base + size(c) - 1) >>> 0;
}

/** Docker's MAC for an address: 02:42 and the four address bytes (locally administered, unicast). */
export function macFromIPv4(ip: number): string {
  const bytes = [0x02, 0x42, ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

export function isValidMac(s: string): boolean {
  return /^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/.test(s);
}
