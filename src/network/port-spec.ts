/**
 * Published-port specifications: the `-p` syntax (`[ip:][hostPort:]containerPort[/proto]`, with
 * ranges and bracketed IPv6 addresses, as Docker's nat.ParsePortSpec) and the Engine API's
 * `PortBindings` map (`{"80/tcp": [{HostIp, HostPort}]}`) that it becomes. A host port may be
 * empty (any free port) or a range (any free port in it) when the container side is one port.
 */
import { invalidArgument } from '../common/errors.js';
import type { Proto } from './types.js';

export interface PortBindingApi {
  HostIp?: string;
  HostPort?: string;
}
export type PortBindingsApi = Record<string, PortBindingApi[] | null>;

/** One wanted binding, before host port allocation. */
export interface PortRequest {
  proto: Proto;
  containerPort: number;
  /** Empty: the network's default binding address. */
  hostIp: string;
  /** Inclusive host port range; [0, 0] means any free port. */
  hostRange: [number, number];
}

function parsePort(s: string, what: string): number {
  if (!/^\d+$/.test(s) || Number(s) > 65535) throw invalidArgument(`invalid ${what}: ${s}`);
  return Number(s);
}

export function parseRange(s: string, what = 'port'): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(s);
  if (!m) throw invalidArgument(`invalid ${what}: ${s}`);
  const lo = parsePort(m[1]!, what);
  const hi = m[2] === undefined ? lo : parsePort(m[2], what);
  if (hi < lo) throw invalidArgument(`invalid range specified for ${what}: ${s}`);
  return [lo, hi];
}

export function parseProto(s: string): Proto {
  const p = s.toLowerCase();
  if (p !== 'tcp' && p !== 'udp' && p !== 'sctp') throw invalidArgument(`invalid proto: ${s}`);
  return p;
}

/** `80/tcp`, `53/udp`, `8000-8010` → proto and container range. */
export function parsePortKey(key: string): { proto: Proto; range: [number, number] } {
  const slash = key.indexOf('/');
  const proto = slash < 0 ? 'tcp' : parseProto(key.slice(slash + 1));
  return { proto, range: parseRange(slash < 0 ? key : key.slice(0, slash), 'containerPort') };
}

/** Splits `ip:host:container`, where ip may be `[v6]` or a bare IPv6 address. */
function splitSpec(spec: string): { ip: string; host: string; container: string } {
  if (spec.startsWith('[')) {
    const end = spec.indexOf(']:');
    if (end < 0) throw invalidArgument(`invalid port format: ${spec}`);
    const rest = spec.slice(end + 2).split(':');
    if (rest.length !== 2) throw invalidArgument(`invalid port format: ${spec}`);
    return { ip: spec.slice(1, end), host: rest[0]!, container: rest[1]! };
  }
  const parts = spec.split(':');
  if (parts.length === 1) return { ip: '', host: '', container: parts[0]! };
  if (parts.length === 2) return { ip: '', host: parts[0]!, container: parts[1]! };
  if (parts.length === 3) return { ip: parts[0]!, host: parts[1]!, container: parts[2]! };
  const container = parts.pop()!;
  const host = parts.pop()!;
  return { ip: parts.join(':'), host, container };
}

/** Parses one `-p` value into the API's port keys and bindings. */
export function parsePortSpec(spec: string): Array<{ key: string; binding: PortBindingApi }> {
  const { ip, host, container } = splitSpec(spec.trim());
  const slash = container.indexOf('/');
  const proto = slash < 0 ? 'tcp' : parseProto(container.slice(slash + 1));
  const cPart = slash < 0 ? container : container.slice(0, slash);
  if (cPart === '') throw invalidArgument(`no port specified: ${spec}<empty>`);
  const [cLo, cHi] = parseRange(cPart, 'containerPort');
  const hostRange = host === '' ? undefined : parseRange(host, 'hostPort');
  if (hostRange && cHi !== cLo && hostRange[1] - hostRange[0] !== cHi - cLo) {
    throw invalidArgument(`invalid ranges specified for container and host Ports: ${cPart} and ${host}`);
  }
  const out: Array<{ key: string; binding: PortBindingApi }> = [];
  for (let p = cLo; p <= cHi; p++) {
    let hostPort = '';
    if (hostRange) {
      hostPort = cHi === cLo
        ? (hostRange[0] === hostRange[1] ? String(hostRange[0]) : `${hostRange[0]}-${hostRange[1]}`)
        : String(hostRange[0] + (p - cLo));
    }
    out.push({ key: `${p}/${proto}`, binding: { HostIp: ip, HostPort: hostPort } });
  }
  return out;
}

/** Merges several `-p` values into the API's PortBindings map. */
export function portBindingsFromSpecs(specs: string[]): PortBindingsApi {
  const map: PortBindingsApi = {};
  for (const s of specs) for (const { key, binding } of parsePortSpec(s)) (map[key] ??= []).push(binding);
  return map;
}

/**
 * The wanted bindings of a container: explicit PortBindings, plus — with publishAll (-P) — every
 * exposed port without a binding, on a random host port.
 */
export function portRequests(bindings: PortBindingsApi | undefined, exposed: Record<string, unknown> | undefined, publishAll: boolean): PortRequest[] {
  const out: PortRequest[] = [];
  const seen = new Set<string>();
  for (const [key, list] of Object.entries(bindings ?? {})) {
    const { proto, range } = parsePortKey(key);
    for (let p = range[0]; p <= range[1]; p++) {
      seen.add(`${p}/${proto}`);
      for (const b of list ?? [{}]) {
        out.push({ proto, containerPort: p, hostIp: b.HostIp || '', hostRange: b.HostPort ? parseRange(b.HostPort, 'hostPort') : [0, 0] });
      }
    }
  }
  if (publishAll) {
    for (const key of Object.keys(exposed ?? {})) {
      const { proto, range } = parsePortKey(key);
      for (let p = range[0]; p <= range[1]; p++) {
        if (!seen.has(`${p}/${proto}`)) out.push({ proto, containerPort: p, hostIp: '', hostRange: [0, 0] });
      }
    }
  }
  return out;
}
