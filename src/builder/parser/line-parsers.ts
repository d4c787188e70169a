/**
 * Per-instruction argument parsers (BuildKit `line_parsers.go`). Each turns the text after the
 * command and its flags into the `next` chain of the instruction node. Nothing is expanded here:
 * quotes and escapes are kept for the variable-expansion step, except in JSON (exec) form.
 */
import { goQuote } from '../shell/go-quote.js';
import { isSpace, trimLeftSpace } from '../shell/unicode.js';
import { newNode, type Node } from './node.js';
import { splitWhitespace } from './split-command.js';

export interface Parsed {
  next: Node | undefined;
  json?: boolean;
}

export type LineParser = (rest: string, escapeToken: string) => Parsed;

function chain(values: readonly string[]): Node | undefined {
  let head: Node | undefined;
  for (let i = values.length - 1; i >= 0; i--) head = newNode(values[i], head);
  return head;
}

/**
 * Splits on unquoted whitespace, keeping quotes and escapes in the words (they are removed
 * later, by the lexer). An escape token at the very end is dropped.
 */
export function parseWords(rest: string, escapeToken: string): string[] {
  const words: string[] = [];
  const chars = Array.from(rest);
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let quote = '';
  let blankOK = false;
  let word = '';
  for (let pos = 0; pos <= chars.length; pos++) {
    let ch = chars[pos] ?? '';
    if (phase === 'spaces') {
      if (pos === chars.length) break;
      if (isSpace(ch)) continue;
      phase = 'word';
    }
    if (pos === chars.length) {
      if (blankOK || word.length > 0) words.push(word);
      break;
    }
    if (phase === 'word') {
      if (isSpace(ch)) {
        phase = 'spaces';
        if (blankOK || word.length > 0) words.push(word);
        word = '';
        blankOK = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
        phase = 'quote';
      }
      if (ch === escapeToken) {
        if (pos + 1 === chars.length) continue;
        // Unquoted, the escape token and the next character are both kept, even a quote.
        word += ch;
        ch = chars[++pos]!;
      }
      word += ch;
      continue;
    }
    if (ch === quote) phase = 'word';
    // Inside single quotes nothing can be escaped.
    if (ch === escapeToken && quote !== "'") {
      if (pos + 1 === chars.length) {
        phase = 'word';
        continue;
      }
      word += ch;
      ch = chars[++pos]!;
    }
    word += ch;
  }
  return words;
}

/** Unknown instructions keep one empty argument, as BuildKit's `parseIgnore`. */
export const parseIgnore: LineParser = () => ({ next: newNode() });

/**
 * ENV and LABEL: `key=value …` pairs, or the legacy `KEY name value` form (the first word has no
 * `=`), where the value is the rest of the line. Each pair becomes `key value sep`, sep being
 * `=` or `` for the legacy form.
 */
function parseNameVal(rest: string, key: string, escapeToken: string): Parsed {
  const words = parseWords(rest, escapeToken);
  if (words.length === 0) return { next: undefined };
  if (!words[0]!.includes('=')) {
    const parts = splitWhitespace(rest, 2);
    if (parts.length < 2) throw new Error(`${key} must have two arguments`);
    return { next: chain([parts[0]!, parts[1]!, '']) };
  }
  const values: string[] = [];
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq < 0) {
      throw new Error(`Syntax error - can't find = in ${goQuote(word)}. Must be of the form: name=value`);
    }
    values.push(word.slice(0, eq), word.slice(eq + 1), '=');
  }
  return { next: chain(values) };
}

export const parseEnv: LineParser = (rest, esc) => parseNameVal(rest, 'ENV', esc);
export const parseLabel: LineParser = (rest, esc) => parseNameVal(rest, 'LABEL', esc);

/** ARG: words kept whole, `name` or `name=default` each. */
export const parseNameOrNameVal: LineParser = (rest, esc) => ({ next: chain(parseWords(rest, esc)) });

/** FROM, EXPOSE: whitespace-separated words, quotes not special. */
export const parseStringsWhitespaceDelimited: LineParser = (rest) =>
  ({ next: rest === '' ? undefined : chain(splitWhitespace(rest, -1)) });

/** MAINTAINER, USER, WORKDIR, STOPSIGNAL: the whole rest as one argument. */
export const parseString: LineParser = (rest) => ({ next: rest === '' ? undefined : newNode(rest) });

/** Exec form: a JSON array of strings. Anything else is not JSON for our purpose. */
function parseJSON(rest: string): Parsed | undefined {
  const text = trimLeftSpace(rest);
  if (!text.startsWith('[')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  // Valid JSON that is not all strings is an error, not a fallback to the shell form.
  if (!parsed.every((v) => typeof v === 'string')) {
    throw new Error('when using JSON array syntax, arrays must be comprised of strings only');
  }
  return { next: chain(parsed as string[]), json: true };
}

/** CMD, ENTRYPOINT, RUN, SHELL: exec form, or (also for invalid JSON) the shell-form string. */
export const parseMaybeJSON: LineParser = (rest) => {
  if (rest === '') return { next: undefined };
  return parseJSON(rest) ?? { next: newNode(rest) };
};

/** ADD, COPY, VOLUME: exec form, or whitespace-separated words. */
export const parseMaybeJSONToList: LineParser = (rest, esc) =>
  parseJSON(rest) ?? parseStringsWhitespaceDelimited(rest, esc);

/** HEALTHCHECK: a type word (`CMD`, `NONE`) followed by a CMD-like argument. */
export const parseHealthConfig: LineParser = (rest, esc) => {
  let sep = 0;
  while (sep < rest.length && !isSpace(rest[sep]!)) sep++;
  let next = sep;
  while (next < rest.length && isSpace(rest[next]!)) next++;
  if (sep === 0) return { next: undefined };
  const cmd = parseMaybeJSON(rest.slice(next), esc);
  const node = newNode(rest.slice(0, sep), cmd.next);
  return cmd.json ? { next: node, json: true } : { next: node };
};
