/**
 * The `filters` query parameter of network list and prune: JSON mapping a filter name to its
 * values, either as a list or as Docker's older `{value: true}` object form.
 */
import { invalidArgument } from '../../common/errors.js';
import type { NetworkRecord } from '../../network/types.js';
import { parseFilterArgs } from '../../common/filter-args.js';

export type Filters = Map<string, string[]>;

export function parseFilters(raw: string | null, allowed: readonly string[]): Filters {
  return parseFilterArgs(raw, allowed);
}

/** Docker matches name and id filters as regular expressions (substring by default). */
function matchText(pattern: string, text: string): boolean {
  try { return new RegExp(pattern).test(text); } catch { return text.includes(pattern); }
}

export function matchLabels(wanted: string[], labels: Record<string, string>): boolean {
  return wanted.every((w) => {
    const eq = w.indexOf('=');
    return eq < 0 ? w in labels : labels[w.slice(0, eq)] === w.slice(eq + 1);
  });
}

/** Go-style durations (`24h`, `90m`, `1h30m`) or Unix / RFC 3339 timestamps, for `until`. */
export function untilCutoff(v: string, now = Date.now()): number {
  const dur = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(v);
  if (dur && v !== '') return now - ((Number(dur[1] ?? 0) * 60 + Number(dur[2] ?? 0)) * 60 + Number(dur[3] ?? 0)) * 1000;
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw invalidArgument(`invalid until value: ${v}`);
  return t;
}

export function matchNetwork(f: Filters, n: NetworkRecord, inUse: boolean): boolean {
  const any = (k: string, pred: (v: string) => boolean): boolean => !f.has(k) || f.get(k)!.length === 0 || f.get(k)!.some(pred);
  return any('driver', (v) => v === n.driver)
    && any('id', (v) => matchText(v, n.id))
    && any('name', (v) => matchText(v, n.name))
    && any('scope', (v) => v === 'local')
    && any('type', (v) => (v === 'custom' ? !n.predefined : v === 'builtin' ? n.predefined : false))
    && any('dangling', (v) => (/^(1|true)$/i.test(v) ? !inUse && !n.predefined : inUse || n.predefined))
    && (!f.has('label') || matchLabels(f.get('label')!, n.labels))
    && (!f.has('label!') || !f.get('label!')!.some((l) => matchLabels([l], n.labels)))
    && (!f.has('until') || f.get('until')!.every((v) => Date.parse(n.created) < untilCutoff(v)));
}
