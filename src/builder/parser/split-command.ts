/**
 * Splits one logical instruction line into its command, its builder flags (`--from=…`) and the
 * rest, the way BuildKit does before dispatching to a per-instruction parser. Flags are only
 * recognised at the start of the arguments; a bare `--` ends them (`COPY -- --weird /dst`).
 */
import { isSpace, trimSpace } from '../shell/unicode.js';

/**
 * Go's `regexp.MustCompile("[\t\v\f\r ]+").Split(s, n)`: unlike String.split, a limit keeps the
 * unsplit remainder in the last element, and an empty input yields one empty string.
 */
export function splitWhitespace(s: string, n: number): string[] {
  if (s === '') return [''];
  const re = /[\t\v\f\r ]+/g;
  const out: string[] = [];
  let beg = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    if (n > 0 && out.length === n - 1) break;
    out.push(s.slice(beg, m.index));
    beg = m.index + m[0].length;
  }
  out.push(s.slice(beg));
  return out;
}

export interface SplitCommand {
  cmd: string;
  flags: string[];
  args: string;
}

export function splitCommand(line: string, escapeToken: string): SplitCommand {
  const cmdline = splitWhitespace(trimSpace(line), 2);
  if (cmdline.length < 2) return { cmd: cmdline[0]!, flags: [], args: '' };
  const { rest, flags } = extractBuilderFlags(cmdline[1]!, escapeToken);
  return { cmd: cmdline[0]!, flags, args: trimSpace(rest) };
}

/**
 * Reads leading `--flag[=value]` words. Quotes group (and are removed), the escape token
 * escapes the next character; the first word not starting with `--` ends the flags.
 */
export function extractBuilderFlags(line: string, escapeToken: string): { rest: string; flags: string[] } {
  const words: string[] = [];
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let word = '';
  let quote = '';
  let blankOK = false;
  for (let pos = 0; pos <= line.length; pos++) {
    let ch = pos < line.length ? line[pos]! : '';
    if (phase === 'spaces') {
      if (pos === line.length) break;
      if (isSpace(ch)) continue;
      if (ch !== '-' || line[pos + 1] !== '-') return { rest: line.slice(pos), flags: words };
      phase = 'word';
    }
    if (pos === line.length) {
      if (word !== '--' && (blankOK || word.length > 0)) words.push(word);
      break;
    }
    if (phase === 'word') {
      if (isSpace(ch)) {
        phase = 'spaces';
        if (word === '--') return { rest: line.slice(pos), flags: words };
        if (blankOK || word.length > 0) words.push(word);
        word = '';
        blankOK = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
        phase = 'quote';
        continue;
      }
      if (ch === escapeToken) {
        if (pos + 1 === line.length) continue; // a trailing escape token is dropped
        ch = line[++pos]!;
      }
      word += ch;
      continue;
    }
    // phase === 'quote'
    if (ch === quote) {
      phase = 'word';
      continue;
    }
    if (ch === escapeToken) {
      if (pos + 1 === line.length) {
        phase = 'word';
        continue;
      }
      ch = line[++pos]!;
    }
    word += ch;
  }
  return { rest: '', flags: words };
}
