/**
 * How plain JS values stand in for Go's reflect values in templates:
 *   undefined           → an invalid value (a missing map key): prints `<no value>`
 *   null                → nil (JSON null): `<no value>` when printed alone, `<nil>` inside
 *                         composites and print/printf; `index` and `len` treat it as an empty map
 *   string, boolean     → string, bool
 *   number              → int when a safe integer, else float64; bigint → int
 *   Array               → []interface {}
 *   plain object, Map   → map[string]interface {}: missing keys are `<no value>`, iteration sorted
 *   class instance      → a struct: fields and getters by name, methods are called, a missing
 *                         field is an error, as on docker's formatter contexts
 *   function            → a method; called when reached through a field
 */

export type Kind = 'invalid' | 'nil' | 'string' | 'int' | 'float' | 'bool' | 'slice' | 'map' | 'struct' | 'func';

export function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === null || proto === Object.prototype;
}

export function kindOf(v: unknown): Kind {
  switch (typeof v) {
    case 'undefined': return 'invalid';
    case 'string': return 'string';
    case 'boolean': return 'bool';
    case 'bigint': return 'int';
    // Past 2^53 a number cannot be an exact integer: it came from a float (use bigint for int64).
    case 'number': return Number.isSafeInteger(v) ? 'int' : 'float';
    case 'function': return 'func';
    case 'object':
      if (v === null) return 'nil';
      if (Array.isArray(v)) return 'slice';
      if (v instanceof Map || isPlainObject(v)) return 'map';
      return 'struct';
    default: return 'invalid';
  }
}

/** Go's %T spelling of the type, used in error messages. */
export function typeName(v: unknown): string {
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil': return '<nil>';
    case 'string': return 'string';
    case 'bool': return 'bool';
    case 'int': return 'int';
    case 'float': return 'float64';
    case 'slice': return '[]interface {}';
    case 'map': return 'map[string]interface {}';
    case 'func': return 'func(...interface {}) interface {}';
    case 'struct': {
      const ctor = (v as { constructor?: { goTypeName?: unknown; name?: string } }).constructor;
      if (ctor && typeof ctor.goTypeName === 'string') return ctor.goTypeName;
      return ctor?.name || 'struct';
    }
  }
}

/** Go's isTrue: the zero value of a type is false; structs are always true. */
export function isTrue(v: unknown): boolean {
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil': return false;
    case 'string': return (v as string).length > 0;
    case 'bool': return v as boolean;
    case 'int':
    case 'float': return Number(v) !== 0 && !Number.isNaN(v);
    case 'slice': return (v as unknown[]).length > 0;
    case 'map': return mapSize(v as object) > 0;
    default: return true;
  }
}

export function mapSize(m: object): number {
  return m instanceof Map ? m.size : Object.keys(m).length;
}

/** Compares strings by code point, which is Go's byte order for UTF-8. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return compareStrings(String(a), String(b));
}

/** Map entries in Go's fmtsort order (numbers numerically, strings bytewise). */
export function sortedEntries(m: object): Array<[unknown, unknown]> {
  const entries: Array<[unknown, unknown]> = m instanceof Map
    ? [...m.entries()]
    : Object.keys(m).map((k) => [k, (m as Record<string, unknown>)[k]]);
  return entries.sort((x, y) => compareKeys(x[0], y[0]));
}

export function mapGet(m: object, key: unknown): unknown {
  if (m instanceof Map) return m.get(key);
  if (typeof key !== 'string') return undefined;
  return Object.prototype.hasOwnProperty.call(m, key) ? (m as Record<string, unknown>)[key] : undefined;
}

export function mapHas(m: object, key: string): boolean {
  return m instanceof Map ? m.has(key) : Object.prototype.hasOwnProperty.call(m, key);
}

/** A struct's field or method: own or inherited, but not Object.prototype's (toString…). */
export function structHas(obj: object, name: string): boolean {
  if (Object.prototype.hasOwnProperty.call(obj, name)) return true;
  for (let p = Object.getPrototypeOf(obj); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    if (Object.prototype.hasOwnProperty.call(p, name)) return name !== 'constructor';
  }
  return false;
}

/** The exported (capitalised) fields of a struct, for `%+v` and JSON: own data and getters. */
export function structFields(obj: object, includeMethods: boolean): Array<[string, unknown]> {
  const names = new Set<string>(Object.keys(obj));
  for (let p = Object.getPrototypeOf(obj); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const [name, d] of Object.entries(Object.getOwnPropertyDescriptors(p))) {
      if (name === 'constructor') continue;
      if (d.get || (includeMethods && typeof d.value === 'function' && d.value.length === 0)) names.add(name);
    }
  }
  const out: Array<[string, unknown]> = [];
  for (const name of names) {
    if (!/^\p{Lu}/u.test(name)) continue;
    const v = (obj as Record<string, unknown>)[name];
    if (typeof v === 'function') {
      if (includeMethods && v.length === 0) out.push([name, v.call(obj)]);
      continue;
    }
    out.push([name, v]);
  }
  return out;
}

/** UTF-8 bytes of a string: Go's len, index and slice work on bytes. */
export function utf8(s: string): Buffer {
  return Buffer.from(s, 'utf8');
}
