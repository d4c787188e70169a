/**
 * Go's `unicode` predicates, as BuildKit's lexer and parser use them. JavaScript's `\s` and `\d`
 * disagree with Go at the edges (`\s` takes U+FEFF but not U+0085; Go's IsDigit takes every
 * decimal digit), and the parser corpus depends on those edges, so the predicates are spelled
 * out here once and shared by the shell lexer and the Dockerfile parser.
 */

/** Go `unicode.IsSpace`: Latin-1 spaces plus the Unicode White_Space property. */
export function isSpace(ch: string): boolean {
  switch (ch) {
    case '\t': case '\n': case '\v': case '\f': case '\r': case ' ':
    case '\u0085': case '\u00a0': case '\u1680':
    case '\u2028': case '\u2029': case '\u202f': case '\u205f': case '\u3000':
      return true;
  }
  return ch >= '\u2000' && ch <= '\u200a' && ch.length === 1;
}

const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;

/** Go `unicode.IsLetter` for one code point. */
export function isLetter(ch: string): boolean {
  return LETTER.test(ch);
}

/** Go `unicode.IsDigit` for one code point. */
export function isDigit(ch: string): boolean {
  return DIGIT.test(ch);
}

/** Go `strings.TrimSpace`. */
export function trimSpace(s: string): string {
  return trimRightSpace(trimLeftSpace(s));
}

/** Go `strings.TrimLeftFunc(s, unicode.IsSpace)`. */
export function trimLeftSpace(s: string): string {
  let i = 0;
  while (i < s.length && isSpace(s[i]!)) i++;
  return s.slice(i);
}

/** Go `strings.TrimRightFunc(s, unicode.IsSpace)`. */
export function trimRightSpace(s: string): string {
  let j = s.length;
  while (j > 0 && isSpace(s[j - 1]!)) j--;
  return s.slice(0, j);
}
