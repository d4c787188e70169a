/**
 * Go's `time.ParseDuration`, which HEALTHCHECK's `--interval`, `--timeout`, `--start-period` and
 * `--start-interval` use: a signed sequence of decimal numbers with units (`1h30m`, `1.5s`,
 * `300ms`). Results are in nanoseconds, the unit of the Engine API's HealthConfig.
 */

import { goQuote } from '../shell/go-quote.js';

const UNITS: ReadonlyMap<string, number> = new Map([
  ['ns', 1], ['us', 1e3], ['µs', 1e3], ['μs', 1e3], ['ms', 1e6], ['s', 1e9], ['m', 60e9], ['h', 3600e9],
]);

const MAX_NS = 2 ** 63 - 1;

export function parseGoDuration(text: string): number {
  const invalid = (): Error => new Error(`time: invalid duration ${goQuote(text)}`);
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw invalid();
  let total = 0;
  while (s !== '') {
    const m = /^([0-9]*)(?:\.([0-9]*))?/.exec(s)!;
    if (m[0] === '' || (m[1] === '' && (m[2] ?? '') === '')) throw invalid();
    s = s.slice(m[0].length);
    const unitMatch = /^[^0-9.]+/.exec(s);
    if (!unitMatch) throw new Error(`time: missing unit in duration ${goQuote(text)}`);
    const unit = UNITS.get(unitMatch[0]);
    if (unit === undefined) {
      throw new Error(`time: unknown unit ${goQuote(unitMatch[0])} in duration ${goQuote(text)}`);
    }
    s = s.slice(unitMatch[0].length);
    total += Number(`${m[1] || '0'}.${m[2] || '0'}`) * unit;
    if (total > MAX_NS) throw invalid();
  }
  return sign * Math.round(total);
}
