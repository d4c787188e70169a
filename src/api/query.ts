/**
 * Query-string helpers for handlers. Unknown parameters are ignored (Docker does); a parameter
 * that is present with a value we cannot read is a 400 rather than a silent default. Booleans
 * accept what Docker's clients send (`1`/`0`, `true`/`false` in any case, `yes`/`no`, `none`,
 * empty = false); moby reads any other value as true, we refuse it instead.
 */
import { invalidArgument } from '../common/errors.js';
import { parseFilterArgs } from '../common/filter-args.js';

const FALSE = new Set(['', '0', 'no', 'false', 'none', 'off', 'n', 'f']);
const TRUE = new Set(['1', 'yes', 'true', 'on', 'y', 't']);

export function queryBool(q: URLSearchParams, key: string, def = false): boolean {
  const raw = q.get(key);
  if (raw === null) return def;
  const v = raw.trim().toLowerCase();
  if (FALSE.has(v)) return false;
  if (TRUE.has(v)) return true;
  throw invalidArgument(`invalid boolean value for query parameter "${key}": ${JSON.stringify(raw)}`);
}

/** An integer parameter; absent or empty gives `def`. */
export function queryInt(q: URLSearchParams, key: string, def: number): number;
export function queryInt(q: URLSearchParams, key: string): number | undefined;
export function queryInt(q: URLSearchParams, key: string, def?: number): number | undefined {
  const raw = q.get(key);
  if (raw === null || raw === '') return def;
  if (!/^[+-]?[0-9]+$/.test(raw.trim())) {
    throw invalidArgument(`invalid integer value for query parameter "${key}": ${JSON.stringify(raw)}`);
  }
  const n = Number(raw.trim());
  if (!Number.isSafeInteger(n)) throw invalidArgument(`value out of range for query parameter "${key}": ${raw}`);
  return n;
}

/**
 * The `filters` parameter: JSON `{"key": {"value": true}}` or the legacy `{"key": ["value"]}`,
 * as moby's filters.FromJSON; returns key → set of values.
 */
export function queryFilters(q: URLSearchParams, key = 'filters'): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [k, v] of parseFilterArgs(q.get(key))) out.set(k, new Set(v));
  return out;
}
