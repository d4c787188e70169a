/**
 * Number literals as Go's template parser reads them (parse.newNumber): integers in any Go base
 * with `_` separators, floats (decimal and hex), character constants. A literal is an int when it
 * parses as one or is an integral float; a float when it has a fraction or exponent.
 */
import { goQuote, goUnquote } from './quote.js';

export interface ParsedNumber {
  isInt: boolean;
  isFloat: boolean;
  value: number;
  isChar: boolean;
}

/** strconv.ParseInt(text, 0, 64) in the int64 range, or null. */
function parseGoInt(text: string): bigint | null {
  let s = text;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  let base = 10;
  let prefixed = false;
  if (/^0[xX]/.test(s)) { base = 16; s = s.slice(2); prefixed = true; }
  else if (/^0[oO]/.test(s)) { base = 8; s = s.slice(2); prefixed = true; }
  else if (/^0[bB]/.test(s)) { base = 2; s = s.slice(2); prefixed = true; }
  else if (/^0\d/.test(s) || /^0_/.test(s)) { base = 8; s = s.slice(1); prefixed = true; }
  if (s.includes('_')) {
    // Underscores only between digits, or right after a base prefix (Go's underscoreOK).
    if (!/^_?[0-9a-zA-Z]+(_[0-9a-zA-Z]+)*$/.test(s) || (!prefixed && s.startsWith('_'))) return null;
    s = s.replace(/_/g, '');
  }
  if (s === '') return prefixed && base === 8 ? 0n : null;
  const digits = '0123456789abcdef'.slice(0, base);
  if (![...s.toLowerCase()].every((c) => digits.includes(c))) return null;
  let v = 0n;
  for (const c of s.toLowerCase()) v = v * BigInt(base) + BigInt(digits.indexOf(c));
  if (neg) v = -v;
  if (v > 0x7fffffffffffffffn || v < -0x8000000000000000n) return null;
  return v;
}

/** strconv.ParseFloat(text, 64), or null. */
function parseGoFloat(text: string): number | null {
  const hex = /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?[0-9_]+)$/.exec(text);
  if (hex) {
    const int = hex[2]!.replace(/_/g, '');
    const frac = (hex[3] ?? '').replace(/_/g, '');
    if (int === '' && frac === '') return null;
    const mant = parseInt(int + frac || '0', 16);
    const v = mant * Math.pow(2, Number(hex[4]!.replace(/_/g, '')) - 4 * frac.length);
    return hex[1] === '-' ? -v : v;
  }
  if (!/^[+-]?(\d[\d_]*)?(\.[\d_]*)?([eE][+-]?\d[\d_]*)?$/.test(text) || !/\d/.test(text)) return null;
  if (/(^|[^\d])_|_($|[^\d])/.test(text)) return null;
  return Number(text.replace(/_/g, ''));
}

/** Throws an Error with Go's message when the literal is not a valid number. */
export function parseNumber(text: string, isCharConstant: boolean): ParsedNumber {
  if (isCharConstant) {
    let r: string;
    try {
      r = goUnquote(text);
    } catch {
      throw new Error(`malformed character constant: ${text}`);
    }
    return { isInt: true, isFloat: true, value: r.codePointAt(0)!, isChar: true };
  }
  if (text.endsWith('i')) throw new Error(`complex constants are not supported: ${text}`);
  const i = parseGoInt(text);
  if (i !== null) return { isInt: true, isFloat: true, value: Number(i), isChar: false };
  const f = parseGoFloat(text);
  if (f !== null) {
    if (!/[.eEpP]/.test(text)) throw new Error(`integer overflow: ${goQuote(text)}`);
    return { isInt: Number.isInteger(f), isFloat: true, value: f, isChar: false };
  }
  throw new Error(`illegal number syntax: ${goQuote(text)}`);
}

/** exec's idealConstant: a literal with a fraction, exponent or 'p' is a float64, else an int. */
export function isFloatLiteral(text: string, n: ParsedNumber): boolean {
  if (n.isChar) return false;
  if (/^[+-]?0[xX]/.test(text) && !/[pP]/.test(text)) return false;
  return n.isFloat && /[.eEpP]/.test(text);
}
