/**
 * Go's encoding/json output for template values, as docker's `json` template function produces
 * it (an Encoder with SetEscapeHTML(false), trailing newline trimmed). It differs from
 * JSON.stringify in string escapes (\u00xx lowercase, U+2028/2029 escaped, `<>&` optionally
 * escaped), in refusing NaN and functions, and in how struct-like objects are marshalled.
 */
import { isPlainObject, kindOf, sortedEntries, structFields } from './template/values.js';

export interface GoJSONOptions {
  /** Go's default Marshal escapes `<`, `>` and `&` as \u003c…; docker's Encoder does not. */
  escapeHTML?: boolean;
}

function quote(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    if (r === 0x22) out += '\\"';
    else if (r === 0x5c) out += '\\\\';
    else if (r < 0x20) {
      const short: Record<number, string> = { 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t' };
      out += short[r] ?? '\\u00' + r.toString(16).padStart(2, '0');
    } else if (escapeHTML && (r === 0x3c || r === 0x3e || r === 0x26)) out += '\\u00' + r.toString(16);
    else if (r === 0x2028 || r === 0x2029) out += '\\u' + r.toString(16);
    else if (r >= 0xd800 && r <= 0xdfff) out += '\\ufffd'; // lone surrogate: invalid UTF-8 in Go
    else out += ch;
  }
  return out + '"';
}

/** time.Time's MarshalJSON: RFC 3339 with trailing zeros of the fraction removed. */
function rfc3339Nano(d: Date): string {
  const iso = d.toISOString();
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 19)}${frac ? '.' + frac : ''}Z`;
}

function encode(v: unknown, o: Required<GoJSONOptions>, seen: Set<object>): string {
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil': return 'null';
    case 'bool': return String(v);
    case 'string': return quote(v as string, o.escapeHTML);
    case 'int': return typeof v === 'bigint' ? v.toString() : JSON.stringify(v);
    case 'float': {
      const n = v as number;
      if (!Number.isFinite(n)) throw new Error(`json: unsupported value: ${Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf'}`);
      return JSON.stringify(n);
    }
    case 'func': throw new Error('json: unsupported type: func()');
  }
  const obj = v as object;
  if (seen.has(obj)) throw new Error('json: unsupported value: encountered a cycle');
  seen.add(obj);
  try {
    if (Array.isArray(obj)) return '[' + obj.map((e) => encode(e, o, seen)).join(',') + ']';
    if (obj instanceof Date) return quote(rfc3339Nano(obj), o.escapeHTML);
    const toJSON = (obj as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return encode(toJSON.call(obj), o, seen);
    let entries: Array<[unknown, unknown]>;
    if (obj instanceof Map) entries = sortedEntries(obj);
    else if (isPlainObject(obj)) {
      // Plain objects usually come from Engine API JSON, whose key order is Go's struct order.
      // Function values act as methods: zero-argument ones are marshalled, the rest skipped.
      entries = [];
      for (const [k, e] of Object.entries(obj)) {
        if (typeof e === 'function') {
          if (e.length === 0) entries.push([k, e.call(obj)]);
        } else if (e !== undefined) entries.push([k, e]);
      }
    } else {
      // docker's formatter.MarshalJSON: every exported zero-argument method, keys sorted.
      entries = structFields(obj, true).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    }
    return '{' + entries.map(([k, e]) => `${quote(String(k), o.escapeHTML)}:${encode(e, o, seen)}`).join(',') + '}';
  } finally {
    seen.delete(obj);
  }
}

/** Encodes `v` as Go's encoding/json would; throws Go's error text for unsupported values. */
export function goJSON(v: unknown, opts: GoJSONOptions = {}): string {
  return encode(v, { escapeHTML: opts.escapeHTML ?? false }, new Set());
}
