/**
 * Small helpers shared by commands: docker's `--filter key=value` encoding, Ellipsis
 * truncation, Go's strconv.Quote and time.Time.String(), "x ago" durations.
 */
import { displayWidth, humanDuration } from '../format/index.js';

/** `--filter a=b --filter a=c` → `{"a":{"b":true,"c":true}}`, the map form dockerd accepts. */
export function filtersJSON(filters: string[]): string | undefined {
  if (!filters.length) return undefined;
  const out: Record<string, Record<string, boolean>> = {};
  for (const f of filters) {
    const i = f.indexOf('=');
    if (i < 0) throw new Error(`bad format of filter (expected name=value)`);
    const k = f.slice(0, i).trim().toLowerCase();
    (out[k] ??= {})[f.slice(i + 1)] = true;
  }
  return JSON.stringify(out);
}

/** docker's formatter.Ellipsis: cut to `max` display columns, the last one an ellipsis. */
export function ellipsis(s: string, max: number): string {
  if (max <= 0) return '';
  if (displayWidth(s) <= max) return s;
  const chars = [...s];
  let out = '';
  let width = 0;
  for (const c of chars) {
    const w = displayWidth(c);
    if (width + w > max - 1) break;
    out += c;
    width += w;
  }
  return out + '…';
}

/** Go's strconv.Quote for the characters container commands contain. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + '"';
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Go's time.Time.String() for a UTC time: "2006-01-02 15:04:05 +0000 UTC". */
export function goTimeString(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000 UTC`;
}

/** "2 minutes ago" from a unix-seconds or RFC 3339 time. */
export function ago(t: number | string): string {
  const ms = typeof t === 'number' ? t * 1000 : Date.parse(t);
  return `${humanDuration(Date.now() - ms)} ago`;
}

/** Reads all of stdin (for `-` arguments and piped input). */
export async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * docker's `--format json` for list rows: its formatter marshals each row's methods with Go's
 * json.Marshal, so keys are sorted and `<>&` are escaped (\u003c…), unlike `{{json .}}` inside
 * a custom template. Function fields (like Label) are methods with arguments: skipped.
 */
export async function jsonRows(rows: Record<string, unknown>[]): Promise<string> {
  const { goJSON } = await import('../format/index.js');
  return rows.map((r) => {
    const m = new Map(Object.entries(r).filter(([, v]) => typeof v !== 'function').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return goJSON(m, { escapeHTML: true }) + '\n';
  }).join('');
}
