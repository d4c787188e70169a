/**
 * docker/cli's template functions (templates/templates.go): json, split, join, title, lower,
 * upper, pad, truncate, with their Go signatures and behaviour (byte-based truncate, join over
 * any slice or map, json without HTML escaping). HEADER_FUNCS are the stand-ins docker uses when
 * rendering a table's header row, so `{{upper .Name}}` still shows the column name.
 */
import { goJSON } from './json.js';
import { formatValue, goFunc, type FuncMap } from './template/index.js';
import { compareStrings, kindOf, sortedEntries, typeName, utf8 } from './template/values.js';

const V = { plus: false, minus: false, sharp: false, space: false, zero: false, width: null, prec: null };
const sprintOne = (v: unknown): string => (typeof v === 'string' ? v : formatValue(v, 'v', V));

/** Go's per-rune case mapping: a rune whose mapping is not a single rune stays as it is. */
function mapRunes(s: string, f: (ch: string) => string): string {
  let out = '';
  for (const ch of s) {
    const m = f(ch);
    out += [...m].length === 1 ? m : ch;
  }
  return out;
}

export const goUpper = (s: string): string => mapRunes(s, (c) => c.toUpperCase());
export const goLower = (s: string): string => mapRunes(s, (c) => c.toLowerCase());

/** Digraphs whose title case differs from their upper case (unicode.ToTitle). */
const TITLE_CASE: Record<string, string> = {
  'Ǆ': 'ǅ', 'ǅ': 'ǅ', 'ǆ': 'ǅ', 'Ǉ': 'ǈ', 'ǈ': 'ǈ', 'ǉ': 'ǈ',
  'Ǌ': 'ǋ', 'ǋ': 'ǋ', 'ǌ': 'ǋ', 'Ǳ': 'ǲ', 'ǲ': 'ǲ', 'ǳ': 'ǲ',
};

/** strings.Title: title-case each rune that follows a separator. */
export function goTitle(s: string): string {
  const isSeparator = (r: string): boolean => {
    const c = r.codePointAt(0)!;
    if (c <= 0x7f) return !/[0-9A-Za-z_]/.test(r);
    if (/[\p{L}\p{Nd}]/u.test(r)) return false;
    return /\s/u.test(r);
  };
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    out += isSeparator(prev) ? TITLE_CASE[ch] ?? goUpper(ch) : ch;
    prev = ch;
  }
  return out;
}

/** strings.Split: an empty separator splits into runes. */
export function goSplit(s: string, sep: string): string[] {
  return sep === '' ? [...s] : s.split(sep);
}

/** docker's joinElements: strings as they are, other elements via fmt.Sprint; map values sorted. */
export function joinElements(elems: unknown, sep: string): string {
  switch (kindOf(elems)) {
    case 'invalid':
    case 'nil': return '';
    case 'slice': return (elems as unknown[]).map(sprintOne).join(sep);
    case 'map': return sortedEntries(elems as object).map(([, v]) => sprintOne(v)).sort(compareStrings).join(sep);
  }
  throw new Error(`expected slice, got ${typeName(elems)}`);
}

export function padWithSpace(source: string, prefix: number, suffix: number): string {
  if (source === '') return source;
  return ' '.repeat(Math.max(prefix, 0)) + source + ' '.repeat(Math.max(suffix, 0));
}

/** docker's truncateWithLength: byte-based, as Go slices strings by bytes. */
export function truncateWithLength(source: string, length: number): string {
  const bytes = utf8(source);
  if (bytes.length < length) return source;
  if (length < 0) throw new Error(`runtime error: slice bounds out of range [:${length}]`);
  return bytes.subarray(0, length).toString('utf8');
}

/** The functions every docker `--format` template can use. */
export const DOCKER_FUNCS: FuncMap = {
  json: goFunc(['any'], (v: unknown) => goJSON(v).trim()),
  split: goFunc(['string', 'string'], goSplit),
  join: goFunc(['any', 'string'], joinElements),
  title: goFunc(['string'], goTitle),
  lower: goFunc(['string'], goLower),
  upper: goFunc(['string'], goUpper),
  pad: goFunc(['string', 'int', 'int'], padWithSpace),
  truncate: goFunc(['string', 'int'], truncateWithLength),
};

/** Header-row replacements: the column name passes through untouched (pad is kept, for alignment). */
export const HEADER_FUNCS: FuncMap = {
  json: goFunc(['string'], (v: string) => v),
  split: goFunc(['string', 'string'], (v: string) => v),
  join: goFunc(['string', 'string'], (v: string) => v),
  title: goFunc(['string'], (v: string) => v),
  lower: goFunc(['string'], (v: string) => v),
  upper: goFunc(['string'], (v: string) => v),
  truncate: goFunc(['string', 'int'], (v: string) => v),
};
