/**
 * Go's strconv quoting: Quote/QuoteToASCII/QuoteRune for `%q` and error messages, and Unquote for
 * template string and character literals. Go quotes printable runes as themselves and escapes the
 * rest; JS's JSON.stringify differs (it keeps DEL and escapes differently), hence this module.
 */

const PRINT = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrint(r: number): boolean {
  if (r === 0x20) return true;
  if (r < 0x20 || r === 0x7f) return false;
  return PRINT.test(String.fromCodePoint(r));
}

function escapeRune(r: number, quote: number, asciiOnly: boolean): string {
  if (r === quote || r === 0x5c) return '\\' + String.fromCodePoint(r);
  if (asciiOnly ? r < 0x80 && isPrint(r) : isPrint(r)) return String.fromCodePoint(r);
  switch (r) {
    case 0x07: return '\\a';
    case 0x08: return '\\b';
    case 0x0c: return '\\f';
    case 0x0a: return '\\n';
    case 0x0d: return '\\r';
    case 0x09: return '\\t';
    case 0x0b: return '\\v';
  }
  if (r >= 0xd800 && r <= 0xdfff) return '\\ufffd'; // a lone surrogate is invalid UTF-8 in Go
  if (r < 0x20 || r === 0x7f) return '\\x' + r.toString(16).padStart(2, '0');
  if (r < 0x10000) return '\\u' + r.toString(16).padStart(4, '0');
  return '\\U' + r.toString(16).padStart(8, '0');
}

function quoteWith(s: string, quote: number, asciiOnly: boolean): string {
  let out = String.fromCharCode(quote);
  for (const ch of s) out += escapeRune(ch.codePointAt(0)!, quote, asciiOnly);
  return out + String.fromCharCode(quote);
}

export const goQuote = (s: string): string => quoteWith(s, 0x22, false);
export const goQuoteASCII = (s: string): string => quoteWith(s, 0x22, true);
export const goQuoteRune = (r: number, asciiOnly = false): string => {
  const valid = r >= 0 && r <= 0x10ffff && !(r >= 0xd800 && r <= 0xdfff);
  return quoteWith(String.fromCodePoint(valid ? r : 0xfffd), 0x27, asciiOnly);
};

/** strconv.CanBackquote: no control characters (other than tab) and no backquote. */
export function canBackquote(s: string): boolean {
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    if (r === 0x60 || r === 0xfeff || (r < 0x20 && r !== 0x09) || r === 0x7f) return false;
  }
  return true;
}

export class SyntaxError_ extends Error {
  constructor() {
    super('invalid syntax');
  }
}

/** Decodes one (possibly escaped) rune at s[i]; returns the rune and the next index. */
function unquoteChar(s: string, i: number, quote: string): [number, number] {
  const c = s[i]!;
  if (c === quote && (quote === "'" || quote === '"')) throw new SyntaxError_();
  if (c !== '\\') return [s.codePointAt(i)!, i + (s.codePointAt(i)! > 0xffff ? 2 : 1)];
  const e = s[i + 1];
  if (e === undefined) throw new SyntaxError_();
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };
  if (e in simple) return [simple[e]!, i + 2];
  if (e === quote) return [quote.charCodeAt(0), i + 2];
  const hexLen = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
  if (hexLen) {
    const h = s.slice(i + 2, i + 2 + hexLen);
    if (h.length !== hexLen || !/^[0-9a-fA-F]+$/.test(h)) throw new SyntaxError_();
    const v = parseInt(h, 16);
    if (e !== 'x' && (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))) throw new SyntaxError_();
    return [v, i + 2 + hexLen];
  }
  if (e >= '0' && e <= '7') {
    const o = s.slice(i + 1, i + 4);
    if (!/^[0-7]{3}$/.test(o)) throw new SyntaxError_();
    const v = parseInt(o, 8);
    if (v > 255) throw new SyntaxError_();
    return [v, i + 4];
  }
  throw new SyntaxError_();
}

/**
 * strconv.Unquote for "…", `…` and '…'. `\x` escapes in Go denote bytes; here they become the
 * code point of that value, which is the same for ASCII (the only case templates use).
 */
export function goUnquote(s: string): string {
  if (s.length < 2) throw new SyntaxError_();
  const q = s[0]!;
  if (q !== s[s.length - 1]) throw new SyntaxError_();
  const body = s.slice(1, -1);
  if (q === '`') {
    if (body.includes('`')) throw new SyntaxError_();
    return body.replace(/\r/g, '');
  }
  if (q !== '"' && q !== "'") throw new SyntaxError_();
  if (body.includes('\n')) throw new SyntaxError_();
  let out = '';
  let i = 0;
  let count = 0;
  while (i < body.length) {
    const [r, next] = unquoteChar(body, i, q);
    out += String.fromCodePoint(r);
    i = next;
    count++;
  }
  if (q === "'" && count !== 1) throw new SyntaxError_();
  return out;
}
