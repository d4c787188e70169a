/**
 * Parsers for the few text formats cgroup files use: a single number (maybe "max"), flat keyed
 * ("key value" per line: memory.stat, cpu.stat), nested keyed ("8:0 rbytes=1 wbytes=2": io.stat)
 * and v1 blkio's "8:0 Read 123" lines. All pure, all tolerant of a trailing newline.
 */
import type { BlkioEntry } from './stats.js';

/**
 * v1 reports "unlimited" as the largest page-aligned int64 (9223372036854771712), beyond what a
 * JS number holds exactly; anything at or above 2^62 is treated as unlimited.
 */
const UNLIMITED_THRESHOLD = 2 ** 62;

/** A number, or undefined for "max", the v1 unlimited sentinel, or unparsable text. */
export function parseLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (t === '' || t === 'max') return undefined;
  const n = Number(t);
  if (!Number.isFinite(n) || n >= UNLIMITED_THRESHOLD || n < 0) return undefined;
  return n;
}

/** A plain counter; 0 when absent or unparsable. */
export function parseCount(text: string | undefined): number {
  if (text === undefined) return 0;
  const n = Number(text.trim());
  return Number.isFinite(n) ? n : 0;
}

/** "key value" lines → record; lines that do not parse are skipped. */
export function parseFlatKeyed(text: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of (text ?? '').split('\n')) {
    const [key, value, extra] = line.trim().split(/\s+/);
    if (!key || value === undefined || extra !== undefined) continue;
    const n = Number(value);
    if (Number.isFinite(n)) out[key] = n;
  }
  return out;
}

/** Space-separated numbers (cpuacct.usage_percpu). */
export function parseNumberList(text: string | undefined): number[] {
  const t = (text ?? '').trim();
  return t === '' ? [] : t.split(/\s+/).map(Number).filter(Number.isFinite);
}

function parseDevice(dev: string): { major: number; minor: number } | undefined {
  const m = /^(\d+):(\d+)$/.exec(dev);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/** v1 blkio "8:0 Read 4096" lines; the "Total N" summary line is dropped. */
export function parseBlkioV1(text: string | undefined): BlkioEntry[] {
  const out: BlkioEntry[] = [];
  for (const line of (text ?? '').split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts.length !== 3) continue;
    const dev = parseDevice(parts[0]!);
    const value = Number(parts[2]);
    if (dev && Number.isFinite(value)) out.push({ ...dev, op: parts[1]!, value });
  }
  return out;
}

/** v2 io.stat "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=5 dios=6" → Docker's two row lists. */
export function parseIoStat(text: string | undefined): { serviceBytes: BlkioEntry[]; serviced: BlkioEntry[] } {
  const serviceBytes: BlkioEntry[] = [];
  const serviced: BlkioEntry[] = [];
  const ops: Record<string, [BlkioEntry[], string]> = {
    rbytes: [serviceBytes, 'read'], wbytes: [serviceBytes, 'write'], dbytes: [serviceBytes, 'discard'],
    rios: [serviced, 'read'], wios: [serviced, 'write'], dios: [serviced, 'discard'],
  };
  for (const line of (text ?? '').split('\n')) {
    const [devText, ...fields] = line.trim().split(/\s+/);
    const dev = devText ? parseDevice(devText) : undefined;
    if (!dev) continue;
    for (const field of fields) {
      const [key, value] = field.split('=');
      const target = key ? ops[key] : undefined;
      if (target && value !== undefined) target[0].push({ ...dev, op: target[1], value: Number(value) });
    }
  }
  return { serviceBytes, serviced };
}
