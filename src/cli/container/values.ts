/**
 * Parsers for docker's container flag values: env lists and env files, `-p` port specs,
 * `--mount` fields, `--ulimit`, memory sizes (RAMInBytes, 1024-based), durations ("30s") and
 * `--restart` policies. Each returns the Engine API shape.
 */
import { readFileSync } from 'node:fs';

/** `-e K=V` keeps the pair; `-e K` takes K from our environment or is dropped. */
export function parseEnv(list: string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  for (const e of list) {
    if (e.includes('=')) {
      if (e.startsWith('=')) throw new Error(`invalid environment variable: ${e}`);
      out.push(e);
    } else if (env[e] !== undefined) out.push(`${e}=${env[e]}`);
  }
  return out;
}

export function readEnvFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`open ${path}: no such file or directory`);
  }
  return text.split('\n').map((l) => l.replace(/^\s+/, '').replace(/\r$/, '')).filter((l) => l && !l.startsWith('#'));
}

/** go-units RAMInBytes: "512m", "1g", "100k", plain bytes; units are powers of 1024. */
export function ramInBytes(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)i?b?$/i.exec(s.trim());
  if (!m) throw new Error(`invalid size: '${s}'`);
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 }[m[2]!.toLowerCase() as 'k'];
  return Math.trunc(Number(m[1]) * mult);
}

/** Go duration ("1m30s", "500ms", "10s") → nanoseconds. */
export function durationNs(s: string): number {
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;
  const unit: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  let total = 0;
  let consumed = 0;
  for (const m of s.matchAll(re)) {
    total += Number(m[1]) * unit[m[2]!]!;
    consumed += m[0].length;
  }
  if (s === '0') return 0;
  if (consumed !== s.length || consumed === 0) throw new Error(`time: invalid duration "${s}"`);
  return Math.round(total);
}

export function restartPolicy(s: string): { Name: string; MaximumRetryCount: number } {
  const [name, count] = s.split(':');
  const valid = ['no', 'always', 'unless-stopped', 'on-failure'];
  if (!valid.includes(name!)) throw new Error(`invalid restart policy: unknown policy '${name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`);
  return { Name: name!, MaximumRetryCount: count ? Number(count) : 0 };
}

export function parseUlimit(s: string): { Name: string; Soft: number; Hard: number } {
  const [name, range] = s.split('=');
  if (!name || range === undefined) throw new Error(`invalid ulimit argument: ${s}`);
  const [soft, hard] = range.split(':');
  return { Name: name, Soft: Number(soft), Hard: Number(hard ?? soft) };
}

export interface PortSpec { exposed: string; binding?: { HostIp: string; HostPort: string } }

/** `-p [ip:][hostPort:]containerPort[/proto]`, ranges like 8000-8001:80-81 expand pairwise. */
export function parsePorts(spec: string): PortSpec[] {
  let proto = 'tcp';
  let rest = spec;
  const slash = spec.lastIndexOf('/');
  if (slash >= 0) {
    proto = spec.slice(slash + 1);
    rest = spec.slice(0, slash);
  }
  let ip = '';
  let parts: string[];
  const v6 = /^\[([^\]]+)\]:(.*)$/.exec(rest);
  if (v6) {
    ip = v6[1]!;
    parts = v6[2]!.split(':');
  } else {
    parts = rest.split(':');
    if (parts.length === 3) ip = parts.shift()!;
  }
  const container = parts.length === 2 ? parts[1]! : parts[0]!;
  const host = parts.length === 2 ? parts[0]! : '';
  const range = (r: string): number[] => {
    if (r === '') return [];
    const [a, b] = r.split('-').map(Number);
    if (!Number.isInteger(a)) throw new Error(`invalid containerPort: ${r}`);
    const out: number[] = [];
    for (let p = a!; p <= (b ?? a!); p++) out.push(p);
    return out;
  };
  const cs = range(container);
  if (!cs.length) throw new Error(`no port specified: ${spec}<empty>`);
  const hs = range(host);
  return cs.map((c, i) => {
    const hp = hs.length === cs.length ? String(hs[i]) : host;
    return { exposed: `${c}/${proto}`, binding: parts.length === 2 || ip ? { HostIp: ip, HostPort: hp } : { HostIp: '', HostPort: '' } };
  });
}

/** `--mount type=bind,source=/a,target=/b,readonly` → the API's Mount object. */
export function parseMount(spec: string): Record<string, unknown> {
  const m: Record<string, unknown> = { Type: 'volume' };
  for (const field of spec.split(',')) {
    const eq = field.indexOf('=');
    const k = (eq < 0 ? field : field.slice(0, eq)).trim().toLowerCase();
    const v = eq < 0 ? undefined : field.slice(eq + 1);
    switch (k) {
      case 'type': m['Type'] = v; break;
      case 'source': case 'src': m['Source'] = v; break;
      case 'target': case 'destination': case 'dst': m['Target'] = v; break;
      case 'readonly': case 'ro': m['ReadOnly'] = v === undefined || v === 'true' || v === '1'; break;
      case 'bind-propagation': m['BindOptions'] = { Propagation: v }; break;
      case 'volume-nocopy': m['VolumeOptions'] = { NoCopy: v === undefined || v === 'true' }; break;
      case 'tmpfs-size': m['TmpfsOptions'] = { ...(m['TmpfsOptions'] as object), SizeBytes: ramInBytes(v ?? '') }; break;
      case 'tmpfs-mode': m['TmpfsOptions'] = { ...(m['TmpfsOptions'] as object), Mode: parseInt(v ?? '', 8) }; break;
      default: throw new Error(`invalid field '${k}' must be a key=value pair`);
    }
  }
  if (!m['Target']) throw new Error('target is required');
  return m;
}
