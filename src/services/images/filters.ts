/**
 * Image list and prune filters (`filters=` JSON, moby `filters.Args`): `dangling`, `label`
 * (`k`, `k=v`; prune also `label!=`), `before`/`since` (an image), `reference` (Go `path.Match`
 * patterns against the familiar reference, then the familiar name) and `until` (a time).
 */
import { invalidArgument } from '../../common/errors.js';
import type { FilterArgs } from './types.js';
import { parseFilterArgs } from '../../common/filter-args.js';

/** Parses `{"k":["v"]}` or the legacy `{"k":{"v":true}}`; empty input → no filters. */
export function parseFilters(json: string | null | undefined, allowed: readonly string[]): FilterArgs {
  return parseFilterArgs(json, allowed);
}

/** `dangling` as a boolean, or undefined when absent. */
export function danglingFilter(f: FilterArgs): boolean | undefined {
  const v = f.get('dangling');
  if (!v || v.length === 0) return undefined;
  const bools = v.map((x) => {
    const s = x.toLowerCase();
    if (s === 'true' || s === '1') return true;
    if (s === 'false' || s === '0') return false;
    throw invalidArgument(`invalid filter 'dangling=${x}'`);
  });
  return bools.includes(true);
}

/** Every `label=` filter must match; every `label!=` filter must not. */
export function matchLabels(labels: Record<string, string> | undefined, want: readonly string[] = [], notWant: readonly string[] = []): boolean {
  const l = labels ?? {};
  const one = (f: string): boolean => {
    const i = f.indexOf('=');
    if (i === -1) return Object.hasOwn(l, f);
    return l[f.slice(0, i)] === f.slice(i + 1);
  };
  return want.every(one) && !notWant.some(one);
}

/** Go's `path.Match` as a regular expression (`*`, `?`, `[...]`, `\` escapes; never across `/`). */
export function globRegExp(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\' && i + 1 < pattern.length) re += `\\${pattern[++i]}`;
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) throw invalidArgument(`syntax error in pattern: ${pattern}`);
      let cls = pattern.slice(i + 1, end);
      if (cls.startsWith('^')) cls = `^${cls.slice(1)}`;
      re += `[${cls.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\]\\]/g, '\\$&');
  }
  return new RegExp(`${re}$`);
}

/** reference.FamiliarMatch: the familiar string, then (for names) the familiar name. */
export function familiarMatch(pattern: RegExp, familiar: string): boolean {
  if (pattern.test(familiar)) return true;
  const at = familiar.indexOf('@');
  const base = at >= 0 ? familiar.slice(0, at) : familiar;
  const colon = base.lastIndexOf(':');
  const name = colon > base.lastIndexOf('/') ? base.slice(0, colon) : base;
  return pattern.test(name);
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** moby `timetypes.GetTimestamp`: a Go duration (ago), unix seconds, or a date; → unix ms. */
export function parseTimestamp(value: string, nowMs = Date.now()): number {
  if (/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(value)) {
    let ms = 0;
    for (const m of value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    return nowMs - ms;
  }
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw invalidArgument(`failed to parse value as time or duration: "${value}"`);
  return t;
}
