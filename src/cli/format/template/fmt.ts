/**
 * Go's fmt package as templates use it: Sprint/Sprintln (print, println, default printing of
 * actions) and Sprintf (printf), over the value model in values.ts. Composite values print the
 * way Go prints them — `[a b]`, `map[a:1 b:2]`, `{v1 v2}` — and bad verbs or argument counts
 * produce Go's in-band markers (`%!d(string=x)`, `%!s(MISSING)`) rather than exceptions.
 */
import { formatFloat } from '../../../common/gofloat.js';
import { canBackquote, goQuote, goQuoteASCII, goQuoteRune } from './quote.js';
import { kindOf, sortedEntries, structFields, typeName, utf8 } from './values.js';

export interface Flags {
  plus: boolean;
  /** %+v and %#v: field names in structs, Go syntax; the plain flags are cleared for 'v'. */
  plusV?: boolean;
  sharpV?: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number | null;
  prec: number | null;
}

const noFlags = (): Flags => ({ plus: false, minus: false, sharp: false, space: false, zero: false, width: null, prec: null });

const runeCount = (s: string): number => [...s].length;

/** Pads to the width: spaces on the right with '-', else zeros (the '0' flag) or spaces on the left. */
function pad(s: string, f: Flags): string {
  if (f.width === null) return s;
  const n = f.width - runeCount(s);
  if (n <= 0) return s;
  if (f.minus) return s + ' '.repeat(n);
  return (f.zero ? '0' : ' ').repeat(n) + s;
}

/** Go's Stringer and error: values that print through a String()/Error() method. */
function stringerText(v: unknown): string | undefined {
  if (v instanceof Error) return v.message;
  if (v instanceof Date) return goTimeString(v);
  if (kindOf(v) !== 'struct') return undefined;
  const s = (v as { String?: unknown }).String;
  if (typeof s === 'function' && s.length === 0) return String(s.call(v));
  return undefined;
}

/** time.Time.String() in UTC: `2006-01-02 15:04:05.999999999 +0000 UTC`. */
function goTimeString(d: Date): string {
  if (Number.isNaN(d.getTime())) return 'Invalid Date';
  const iso = d.toISOString(); // 2006-01-02T15:04:05.123Z
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac ? '.' + frac : ''} +0000 UTC`;
}

function fmtInteger(v: bigint, verb: string, f: Flags): string {
  const neg = v < 0n;
  const abs = neg ? -v : v;
  let digits: string;
  let prefix = '';
  switch (verb) {
    case 'b': digits = abs.toString(2); if (f.sharp) prefix = '0b'; break;
    case 'o': digits = abs.toString(8); if (f.sharp) prefix = '0'; break;
    case 'O': digits = abs.toString(8); prefix = '0o'; break;
    case 'x': digits = abs.toString(16); if (f.sharp) prefix = '0x'; break;
    case 'X': digits = abs.toString(16).toUpperCase(); if (f.sharp) prefix = '0X'; break;
    default: digits = abs.toString(10);
  }
  if (f.prec !== null) {
    if (f.prec === 0 && v === 0n) digits = '';
    digits = digits.padStart(f.prec, '0');
  } else if (f.zero && !f.minus && f.width !== null) {
    const sign = neg || f.plus || f.space ? 1 : 0;
    digits = digits.padStart(f.width - sign - prefix.length, '0');
  }
  if (prefix === '0' && digits.startsWith('0')) prefix = '';
  const sign = neg ? '-' : f.plus ? '+' : f.space ? ' ' : '';
  return pad(sign + prefix + digits, { ...f, zero: false });
}

function fmtFloatVerb(v: number, verb: string, f: Flags): string {
  const map: Record<string, ['e' | 'E' | 'f' | 'g' | 'G', number]> = {
    v: ['g', -1], g: ['g', -1], G: ['G', -1], e: ['e', 6], E: ['E', 6], f: ['f', 6], F: ['f', 6],
  };
  const [fmt, defPrec] = map[verb]!;
  let s = formatFloat(v, fmt, f.prec ?? defPrec);
  if (s === 'NaN' || s.endsWith('Inf')) {
    // Go keeps the sign of +Inf unless the space flag asks for a space; NaN is unsigned.
    if (s === 'NaN' && (f.plus || f.space)) s = f.plus ? '+NaN' : ' NaN';
    else if (s === '+Inf' && f.space && !f.plus) s = ' Inf';
    return pad(s, { ...f, zero: false });
  }
  if (!s.startsWith('-')) s = f.plus ? '+' + s : f.space ? ' ' + s : s;
  // Zero padding goes between the sign and the digits.
  const sign = /^[+\- ]/.test(s) ? s[0]! : '';
  if (f.zero && !f.minus && sign && f.width !== null) return sign + pad(s.slice(1), { ...f, width: f.width - 1 });
  return pad(s, f);
}

function fmtString(s: string, verb: string, f: Flags): string {
  if (f.prec !== null) s = [...s].slice(0, f.prec).join('');
  switch (verb) {
    case 'v':
      if (f.sharpV) return pad(goQuote(s), f);
      return pad(s, f);
    case 's': return pad(s, f);
    case 'q':
      if (f.sharp && canBackquote(s)) return pad('`' + s + '`', f);
      return pad(f.plus ? goQuoteASCII(s) : goQuote(s), f);
    case 'x':
    case 'X': {
      const hex = [...utf8(s)].map((b) => b.toString(16).padStart(2, '0'));
      const pre = f.sharp ? '0x' : '';
      let out = f.space ? hex.map((h) => pre + h).join(' ') : pre + hex.join('');
      if (verb === 'X') out = out.toUpperCase();
      return pad(out, f);
    }
  }
  return badVerb(verb, s);
}

function badVerb(verb: string, v: unknown): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(v)}=${formatValue(v, 'v', noFlags())})`;
}

/** printValue for one argument and verb, recursing into slices, maps and structs as Go does. */
export function formatValue(v: unknown, verb: string, f: Flags): string {
  if (verb === 'T') return pad(typeName(v), f);
  const text = stringerText(v);
  if (text !== undefined && 'vsqxX'.includes(verb)) return fmtString(text, verb, f);
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
      return verb === 'v' ? pad('<nil>', f) : badVerb(verb, null);
    case 'bool':
      return verb === 'v' || verb === 't' ? pad(String(v), f) : badVerb(verb, v);
    case 'int': {
      const i = BigInt(v as number | bigint);
      switch (verb) {
        case 'v': case 'd': case 'b': case 'o': case 'O': case 'x': case 'X':
          return fmtInteger(i, verb, f);
        // JS cannot tell 1.0 from 1: integral numbers accept float verbs too.
        case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
          return fmtFloatVerb(Number(v), verb, f);
        case 'c': return pad(String.fromCodePoint(validRune(i)), f);
        case 'q': return pad(goQuoteRune(validRune(i), f.plus), f);
        case 'U': {
          const hex = 'U+' + i.toString(16).toUpperCase().padStart(4, '0');
          return pad(f.sharp ? `${hex} '${String.fromCodePoint(validRune(i))}'` : hex, f);
        }
      }
      return badVerb(verb, v);
    }
    case 'float':
      return 'vgGeEfF'.includes(verb) ? fmtFloatVerb(v as number, verb, f) : badVerb(verb, v);
    case 'string':
      return fmtString(v as string, verb, f);
    case 'slice':
      return '[' + (v as unknown[]).map((e) => formatValue(e, verb, f)).join(' ') + ']';
    case 'map':
      return 'map[' + sortedEntries(v as object)
        .map(([k, e]) => `${formatValue(k, verb, f)}:${formatValue(e, verb, f)}`)
        .join(' ') + ']';
    case 'struct': {
      const fields = structFields(v as object, false);
      const parts = fields.map(([k, e]) => (f.plusV ? `${k}:` : '') + formatValue(e, verb, f));
      return '{' + parts.join(' ') + '}';
    }
    case 'func':
      return verb === 'v' || verb === 'p' ? pad('0xc000010000', f) : badVerb(verb, v);
  }
}

function validRune(i: bigint): number {
  const n = Number(i);
  return n < 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff) ? 0xfffd : n;
}

const isString = (v: unknown): boolean => typeof v === 'string';

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: unknown[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && !isString(a) && !isString(args[i - 1])) out += ' ';
    out += formatValue(a, 'v', noFlags());
  });
  return out;
}

/** fmt.Sprintln: always spaces, and a newline. */
export function sprintln(args: unknown[]): string {
  return args.map((a) => formatValue(a, 'v', noFlags())).join(' ') + '\n';
}

/** fmt.Sprintf with flags, width, precision, `*` and explicit argument indexes (%[2]d). */
export function sprintf(format: string, args: unknown[]): string {
  let out = '';
  let argNum = 0;
  let reordered = false;
  let i = 0;
  const end = format.length;
  const intArg = (): number | null => {
    if (argNum >= args.length) return null;
    const a = args[argNum++];
    return kindOf(a) === 'int' ? Number(a) : null;
  };
  const argIndex = (): void => {
    const m = /^\[(\d+)\]/.exec(format.slice(i));
    if (!m) return;
    reordered = true;
    argNum = Number(m[1]) - 1;
    i += m[0].length;
  };
  while (i < end) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const f = noFlags();
    flags: for (; i < end; i++) {
      switch (format[i]) {
        case '#': f.sharp = true; break;
        case '0': f.zero = true; break;
        case '+': f.plus = true; break;
        case '-': f.minus = true; break;
        case ' ': f.space = true; break;
        default: break flags;
      }
    }
    argIndex();
    if (format[i] === '*') {
      i++;
      const w = intArg();
      if (w === null) out += '%!(BADWIDTH)';
      else if (w < 0) {
        f.minus = true;
        f.width = -w;
      } else f.width = w;
    } else {
      const m = /^\d+/.exec(format.slice(i));
      if (m) {
        f.width = Number(m[0]);
        i += m[0].length;
      }
    }
    if (format[i] === '.') {
      i++;
      argIndex();
      if (format[i] === '*') {
        i++;
        const p = intArg();
        if (p === null || p < 0) out += '%!(BADPREC)';
        else f.prec = p;
      } else {
        const m = /^\d+/.exec(format.slice(i));
        f.prec = m ? Number(m[0]) : 0;
        if (m) i += m[0].length;
      }
    }
    argIndex();
    if (i >= end) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    if (f.minus) f.zero = false;
    if (verb === 'v') {
      f.plusV = f.plus;
      f.sharpV = f.sharp;
      f.plus = f.sharp = false;
    }
    out += formatValue(args[argNum++], verb, f);
  }
  if (!reordered && argNum < args.length) {
    out += '%!(EXTRA ' + args.slice(argNum)
      .map((a) => (a === null || a === undefined ? '<nil>' : `${typeName(a)}=${formatValue(a, 'v', noFlags())}`))
      .join(', ') + ')';
  }
  return out;
}
