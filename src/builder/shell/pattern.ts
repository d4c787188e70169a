/**
 * Shell wildcard patterns for `${v#p}`, `${v%p}` and `${v/p/r}`, as BuildKit implements them:
 * `*` and `?` become regular-expression wildcards, everything else is literal, and bracket
 * expressions are not supported. A shortest or longest *suffix* cannot be found by a left-to-right
 * regular expression, so suffix trimming reverses both the pattern and the value and trims a
 * prefix instead.
 *
 * Go's `.` never matches a newline while JavaScript's also refuses \r, U+2028 and U+2029, so the
 * wildcard is spelled `[^\n]`. Patterns run with the `u` flag so that `?` is one code point, as
 * one Go rune.
 */

export class PatternError extends Error {}

/** Builds the regular expression for a shell pattern (BuildKit `convertShellPatternToRegex`). */
export function shellPatternToRegex(pattern: string, greedy: boolean, anchored: boolean): RegExp {
  const chars = Array.from(pattern);
  let out = anchored ? '^' : '';
  const star = greedy ? '[^\\n]*' : '[^\\n]*?';
  for (let i = 0; i < chars.length; i++) {
    let tok = chars[i]!;
    switch (tok) {
      case '*': out += star; continue;
      case '?': out += '[^\\n]'; continue;
      case '\\': {
        // `\}` and `\/` were escaped only to get past the ${…} syntax; the pattern keeps the char.
        const peek = chars[i + 1];
        if (peek === '}' || peek === '/') continue;
        out += '\\';
        i++;
        tok = chars[i] ?? '\ufffd';
        if (tok !== '*' && tok !== '?' && tok !== '\\') throw new PatternError(`invalid escape '\\${tok}'`);
        break;
      }
      case '[': case ']': case '{': case '}': case '.': case '+': case '(': case ')': case '|':
      case '^': case '$':
        out += '\\';
        break;
    }
    out += tok;
  }
  return new RegExp(out, 'gu');
}

/** Reverses a pattern but keeps each escape before the character it escapes: `a\*c` → `c\*a`. */
export function reversePattern(pattern: string): string {
  const runes = Array.from(pattern);
  const out = new Array<string>(runes.length);
  const last = runes.length - 1;
  for (let i = 0; i <= last;) {
    const tok = runes[i]!;
    const outIdx = last - i;
    if (tok === '\\' && i !== last) {
      out[outIdx - 1] = tok;
      out[outIdx] = runes[i + 1]!;
      i += 2;
    } else {
      out[outIdx] = tok;
      i++;
    }
  }
  return out.join('');
}

export function reverseString(s: string): string {
  return Array.from(s).reverse().join('');
}

function firstMatch(re: RegExp, value: string): [number, number] | undefined {
  re.lastIndex = 0;
  const m = re.exec(value);
  return m ? [m.index, m.index + m[0].length] : undefined;
}

/** `${v#p}` / `${v##p}`: drops the shortest (or longest) prefix matching the pattern. */
export function trimPrefix(pattern: string, value: string, greedy: boolean): string {
  const m = firstMatch(compile(pattern, greedy, true), value);
  return m ? value.slice(m[1]) : value;
}

/** `${v%p}` / `${v%%p}`: drops the shortest (or longest) suffix matching the pattern. */
export function trimSuffix(pattern: string, value: string, greedy: boolean): string {
  return reverseString(trimPrefix(reversePattern(pattern), reverseString(value), greedy));
}

/** `${v/p/r}` and `${v//p/r}`. */
export function replacePattern(pattern: string, value: string, replacement: string, all: boolean): string {
  const re = compile(pattern, true, false);
  if (!all) {
    const m = firstMatch(re, value);
    return m ? value.slice(0, m[0]) + replacement + value.slice(m[1]) : value;
  }
  return goReplaceAll(re, value, (match) => goExpand(replacement, match));
}

function compile(pattern: string, greedy: boolean, anchored: boolean): RegExp {
  try {
    return shellPatternToRegex(pattern, greedy, anchored);
  } catch (e) {
    throw new PatternError(`invalid pattern (${pattern}) in substitution: ${(e as Error).message}`);
  }
}

/**
 * Go's `Regexp.ReplaceAllString` loop: an empty match right after a previous match is not
 * replaced, and the search always advances by at least one character.
 */
function goReplaceAll(re: RegExp, src: string, repl: (match: string) => string): string {
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= src.length) {
    re.lastIndex = searchPos;
    const m = re.exec(src);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    out += src.slice(lastMatchEnd, start);
    if (end > lastMatchEnd || start === 0) out += repl(m[0]);
    lastMatchEnd = end;
    const width = searchPos < src.length && src.codePointAt(searchPos)! > 0xffff ? 2 : 1;
    if (searchPos + width > end) searchPos += width;
    else if (searchPos + 1 > end) searchPos++;
    else searchPos = end;
  }
  return out + src.slice(lastMatchEnd);
}

/**
 * Go's `Regexp.Expand` for a pattern without groups: `$$` is a dollar, `$0`/`${0}` the match,
 * any other well-formed `$name` an absent group (empty), a malformed `$` stays literal.
 */
function goExpand(template: string, match: string): string {
  let out = '';
  let rest = template;
  for (;;) {
    const i = rest.indexOf('$');
    if (i < 0) break;
    out += rest.slice(0, i);
    rest = rest.slice(i + 1);
    if (rest.startsWith('$')) {
      out += '$';
      rest = rest.slice(1);
      continue;
    }
    const m = rest.startsWith('{') ? /^\{([A-Za-z0-9_]+)\}/.exec(rest) : /^([A-Za-z0-9_]+)/.exec(rest);
    if (!m) {
      out += '$';
      continue;
    }
    rest = rest.slice(m[0].length);
    if (m[1] === '0') out += match;
  }
  return out + rest;
}
