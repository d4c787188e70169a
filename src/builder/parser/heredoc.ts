/**
 * Heredocs in RUN, COPY and ADD (`RUN <<EOF`, `COPY <<a <<b /dst`). The instruction line is lexed
 * (without an environment, keeping quotes and escapes) to find words shaped like `[n]<<[-]WORD`;
 * the parser then takes the following lines up to each WORD as that heredoc's content.
 *
 * Whether the content is expanded later depends on quoting: BuildKit lexes the delimiter once
 * with quotes removed and once with quotes kept, and any difference in quote count means some
 * part was quoted (`<<'EOF'`, `<<E"O"F`), which disables expansion as in a POSIX shell.
 */
import { EMPTY_ENV } from '../shell/env.js';
import { ShellLex } from '../shell/lex.js';
import type { Heredoc } from './node.js';

// Go's \s is [\t\n\f\r ].
const HEREDOC = /^(\d*)<<(-?)[\t\n\f\r ]*([^<]*)$/;

function quoteCount(s: string): number {
  let n = 0;
  for (const ch of s) if (ch === "'" || ch === '"') n++;
  return n;
}

/**
 * Reads one heredoc marker word (`<<EOF`, `3<<-'EOF'`). Returns undefined when the word is not a
 * heredoc marker; throws when it is one with unbalanced quotes.
 */
export function parseHeredoc(src: string): Heredoc | undefined {
  const m = HEREDOC.exec(src);
  if (!m) return undefined;
  const rest = m[3]!;
  if (rest === '') return undefined;
  const lex = new ShellLex('\\', { skipUnsetEnv: true });
  const words = lex.processWords(rest, EMPTY_ENV);
  if (words.length !== 1) return undefined; // `<<EOF sh` is not one delimiter word
  lex.rawQuotes = true;
  const raw = lex.processWords(rest, EMPTY_ENV);
  if (raw.length !== words.length) {
    throw new Error(`internal lexing of heredoc produced inconsistent results: ${rest}`);
  }
  const name = words[0]!;
  return {
    name,
    fileDescriptor: m[1] === '' ? 0 : Number(m[1]),
    expand: quoteCount(name) === quoteCount(raw[0]!),
    chomp: m[2] === '-',
    content: '',
  };
}

/** The heredoc markers on an instruction line, in order. A line that does not lex has none. */
export function heredocsFromLine(line: string): Heredoc[] {
  const lex = new ShellLex('\\', { rawQuotes: true, rawEscapes: true, skipUnsetEnv: true });
  let words: string[];
  try {
    words = lex.processWords(line, EMPTY_ENV);
  } catch {
    return [];
  }
  const docs: Heredoc[] = [];
  for (const word of words) {
    const doc = parseHeredoc(word);
    if (doc) docs.push(doc);
  }
  return docs;
}

/** `<<-`: strips leading tabs from every line of the content. */
export function chompHeredocContent(src: string): string {
  return src.replace(/(^|\n)\t+/g, '$1');
}
