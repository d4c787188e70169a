/**
 * Go's predefined template functions (text/template funcs.go): logic, comparison, indexing,
 * printing and escaping, with Go's rules — comparisons only between basic values of one kind,
 * len/index/slice on UTF-8 bytes for strings — and Go's error texts, which the executor wraps as
 * `error calling NAME: …`.
 */
import { formatValue, sprint, sprintf, sprintln } from './fmt.js';
import { goFunc, type FuncMap } from './funcs.js';
import { isPrint } from './quote.js';
import { compareStrings, isTrue, kindOf, mapGet, mapSize, typeName, utf8 } from './values.js';

const noFlags = { plus: false, minus: false, sharp: false, space: false, zero: false, width: null, prec: null };

function indexArg(index: unknown, cap: number): number {
  const k = kindOf(index);
  if (k === 'invalid' || k === 'nil') throw new Error('cannot index slice/array with nil');
  if (k !== 'int') throw new Error(`cannot index slice/array with type ${typeName(index)}`);
  const x = Number(index);
  if (x < 0 || x > cap) throw new Error(`index out of range: ${x}`);
  return x;
}

/**
 * A missing key yields the map's zero value. JS maps carry no element type, so a map whose
 * values are all strings (docker's label maps) yields "" and any other yields no value.
 */
function zeroOf(m: object): unknown {
  const values = m instanceof Map ? [...m.values()] : Object.values(m);
  return values.every((v) => typeof v === 'string') ? '' : undefined;
}

function index(item: unknown, ...indexes: unknown[]): unknown {
  if (item === undefined) throw new Error('index of untyped nil');
  for (const idx of indexes) {
    // null stands for a typed nil map or slice: missing keys give "", positions are out of range.
    if (item === null) {
      if (typeof idx === 'string') {
        item = '';
        continue;
      }
      indexArg(idx, 0);
      throw new Error('reflect: slice index out of range');
    }
    switch (kindOf(item)) {
      case 'slice': {
        const arr = item as unknown[];
        const x = indexArg(idx, arr.length);
        if (x === arr.length) throw new Error('reflect: slice index out of range');
        item = arr[x];
        break;
      }
      case 'string': {
        const bytes = utf8(item as string);
        const x = indexArg(idx, bytes.length);
        if (x === bytes.length) throw new Error('reflect: string index out of range');
        item = bytes[x];
        break;
      }
      case 'map': {
        const m = item as object;
        if (!(m instanceof Map) && typeof idx !== 'string') {
          throw new Error(idx === undefined || idx === null
            ? 'value is nil; should be of type string'
            : `value has type ${typeName(idx)}; should be string`);
        }
        const v = mapGet(m, idx);
        item = v === undefined ? zeroOf(m) : v;
        break;
      }
      default:
        throw new Error(`can't index item of type ${typeName(item)}`);
    }
  }
  return item;
}

function slice(item: unknown, ...indexes: unknown[]): unknown {
  if (item === undefined || item === null) throw new Error('slice of untyped nil');
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`);
  const k = kindOf(item);
  let len: number;
  if (k === 'string') {
    if (indexes.length === 3) throw new Error('cannot 3-index slice a string');
    len = utf8(item as string).length;
  } else if (k === 'slice') len = (item as unknown[]).length;
  else throw new Error(`can't slice item of type ${typeName(item)}`);
  const idx = [0, len, len];
  indexes.forEach((x, i) => { idx[i] = indexArg(x, len); });
  if (idx[0]! > idx[1]!) throw new Error(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!) throw new Error(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (k === 'string') return utf8(item as string).subarray(idx[0], idx[1]).toString('utf8');
  return (item as unknown[]).slice(idx[0], idx[1]);
}

function length(item: unknown): number {
  switch (kindOf(item)) {
    case 'invalid': throw new Error('reflect: call of reflect.Value.Type on zero Value');
    case 'nil': return 0;
    case 'string': return utf8(item as string).length;
    case 'slice': return (item as unknown[]).length;
    case 'map': return mapSize(item as object);
  }
  throw new Error(`len of type ${typeName(item)}`);
}

function call(calleeName: string, fn: unknown, ...args: unknown[]): unknown {
  if (fn === undefined || fn === null) throw new Error('call of nil');
  if (typeof fn !== 'function') throw new Error(`non-function ${calleeName} of type ${typeName(fn)}`);
  if (args.length < fn.length) {
    throw new Error(`wrong number of args for ${calleeName}: got ${args.length} want ${fn.length}`);
  }
  return fn(...args);
}

type Basic = 'bool' | 'number' | 'string' | 'nil' | 'other';

function basicKind(v: unknown): Basic {
  const k = kindOf(v);
  if (k === 'int' || k === 'float') return 'number';
  if (k === 'bool' || k === 'string') return k;
  return k === 'invalid' || k === 'nil' ? 'nil' : 'other';
}

function eq(arg1: unknown, ...rest: unknown[]): boolean {
  if (rest.length === 0) throw new Error('missing argument for comparison');
  const k1 = basicKind(arg1);
  for (const arg of rest) {
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 === 'nil' || k2 === 'nil') truth = k1 === k2;
    else if (k1 !== k2) throw new Error(`incompatible types for comparison: ${typeName(arg1)} and ${typeName(arg)}`);
    else if (k1 === 'other') {
      if (Array.isArray(arg) || kindOf(arg) === 'map') {
        throw new Error(`non-comparable type ${formatValue(arg, 's', noFlags)}: ${typeName(arg)}`);
      }
      truth = arg1 === arg;
    } else if (k1 === 'number') truth = Number(arg1) === Number(arg);
    else truth = arg1 === arg;
    if (truth) return true;
  }
  return false;
}

function lt(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === 'nil' || k1 === 'other' || k2 === 'nil' || k2 === 'other') throw new Error('invalid type for comparison');
  if (k1 !== k2) throw new Error(`incompatible types for comparison: ${typeName(a)} and ${typeName(b)}`);
  if (k1 === 'bool') throw new Error('invalid type for comparison');
  if (k1 === 'number') return Number(a) < Number(b);
  return compareStrings(a as string, b as string) < 0;
}

const le = (a: unknown, b: unknown): boolean => lt(a, b) || eq(a, b);

/** evalArgs: one string as is, otherwise fmt.Sprint with missing values as `<no value>`. */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === undefined ? '<no value>' : a)));
}

export function htmlEscape(s: string): string {
  const map: Record<string, string> = { '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;', '\0': '\uFFFD' };
  return s.replace(/["'&<>\0]/g, (c) => map[c]!);
}

export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    switch (ch) {
      case '\\': out += '\\\\'; continue;
      case "'": out += "\\'"; continue;
      case '"': out += '\\"'; continue;
      case '<': out += '\\u003C'; continue;
      case '>': out += '\\u003E'; continue;
      case '&': out += '\\u0026'; continue;
      case '=': out += '\\u003D'; continue;
    }
    if (r < 0x20) out += '\\u00' + r.toString(16).toUpperCase().padStart(2, '0');
    else if (r < 0x80 || isPrint(r)) out += ch;
    else out += '\\u' + r.toString(16).toUpperCase().padStart(4, '0');
  }
  return out;
}

/** url.QueryEscape: unreserved bytes kept, space as '+', the rest %XX. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of utf8(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

const unreachable = (): never => {
  throw new Error('unreachable: evaluated by the executor');
};

export const BUILTINS: FuncMap = {
  and: goFunc(['value'], unreachable, 'value'),
  or: goFunc(['value'], unreachable, 'value'),
  not: goFunc(['value'], (v: unknown) => !isTrue(v)),
  call: goFunc(['value'], call, 'value'),
  html: goFunc([], (...a: unknown[]) => htmlEscape(evalArgs(a)), 'any'),
  js: goFunc([], (...a: unknown[]) => jsEscape(evalArgs(a)), 'any'),
  urlquery: goFunc([], (...a: unknown[]) => queryEscape(evalArgs(a)), 'any'),
  index: goFunc(['value'], index, 'value'),
  slice: goFunc(['value'], slice, 'value'),
  len: goFunc(['value'], length),
  print: goFunc([], (...a: unknown[]) => sprint(a), 'any'),
  printf: goFunc(['string'], (f: string, ...a: unknown[]) => sprintf(f, a), 'any'),
  println: goFunc([], (...a: unknown[]) => sprintln(a), 'any'),
  eq: goFunc(['value'], eq, 'value'),
  ne: goFunc(['value', 'value'], (a: unknown, b: unknown) => !eq(a, b)),
  lt: goFunc(['value', 'value'], lt),
  le: goFunc(['value', 'value'], le),
  gt: goFunc(['value', 'value'], (a: unknown, b: unknown) => !le(a, b)),
  ge: goFunc(['value', 'value'], (a: unknown, b: unknown) => !lt(a, b)),
};
