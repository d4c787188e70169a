/**
 * Docker's variable expansion and word splitting (BuildKit `frontend/dockerfile/shell`). It is
 * not a shell: it knows quotes, the escape token, `$v`, `${v}` and the `${v…}` modifiers
 * `-` `+` `?` (each with an optional `:`), `#` `##` `%` `%%`, `/` and `//`, and nothing else.
 * Unknown variables expand to the empty string unless `skipUnsetEnv` keeps them verbatim (the
 * parser uses that to find heredoc markers without an environment).
 *
 * The processing functions are faithful to BuildKit's, including one quirk: all nested
 * `processStopOn` calls share one word buffer, so a `${v:-…}` form discards the part of a word
 * that precedes it in `processWords` output. Dockerfiles rely on Docker's results, not ours.
 */
import { invalidArgument } from '../../common/errors.js';
import { toEnvGetter, type EnvGetter, type EnvSource } from './env.js';
import { goQuote } from './go-quote.js';
import { PatternError, replacePattern, trimPrefix, trimSuffix } from './pattern.js';
import { isDigit, isLetter, isSpace } from './unicode.js';

export interface ShellLexOptions {
  /** Keep quote characters in the output (BuildKit `RawQuotes`). */
  rawQuotes?: boolean;
  /** Keep escape tokens in the output (BuildKit `RawEscapes`). */
  rawEscapes?: boolean;
  /** Treat quotes as ordinary characters (BuildKit `SkipProcessQuotes`). */
  skipProcessQuotes?: boolean;
  /** Leave references to unset variables as written (BuildKit `SkipUnsetEnv`). */
  skipUnsetEnv?: boolean;
}

export interface ProcessWordResult {
  result: string;
  words: string[];
  /** Variables that were looked up and set. */
  matched: Set<string>;
  /** Variables that were looked up and unset — BuildKit's linter reports these. */
  unmatched: Set<string>;
}

/** Thrown for syntax errors inside one word; the lexer wraps it with the word. */
class LexError extends Error {}

const SPECIAL_PARAMS = new Set(['@', '*', '#', '?', '-', '$', '!', '0']);

/** Collects whitespace-separated words while the expanded text is produced. */
class Words {
  readonly words: string[] = [];
  inWord = false;
  constructor(private readonly buf: { s: string }) {}

  addChar(ch: string): void {
    if (isSpace(ch)) {
      if (this.inWord && this.buf.s.length !== 0) {
        this.words.push(this.buf.s);
        this.buf.s = '';
        this.inWord = false;
      }
    } else {
      this.addRaw(ch);
    }
  }

  addRaw(s: string): void {
    this.buf.s += s;
    this.inWord = true;
  }

  addString(s: string): void {
    for (const ch of s) this.addChar(ch);
  }

  finish(): string[] {
    if (this.buf.s.length > 0) {
      this.words.push(this.buf.s);
      this.buf.s = '';
      this.inWord = false;
    }
    return this.words;
  }
}

export class ShellLex {
  readonly escapeToken: string;
  rawQuotes: boolean;
  rawEscapes: boolean;
  skipProcessQuotes: boolean;
  skipUnsetEnv: boolean;

  constructor(escapeToken = '\\', options: ShellLexOptions = {}) {
    this.escapeToken = escapeToken;
    this.rawQuotes = options.rawQuotes ?? false;
    this.rawEscapes = options.rawEscapes ?? false;
    this.skipProcessQuotes = options.skipProcessQuotes ?? false;
    this.skipUnsetEnv = options.skipUnsetEnv ?? false;
  }

  /** Expands variables and removes quotes; spaces between words are kept. */
  processWord(word: string, env: EnvSource): string {
    return this.process(word, env, true).result;
  }

  /** Expands variables, then splits into words on unquoted whitespace. */
  processWords(word: string, env: EnvSource): string[] {
    return this.process(word, env, false).words;
  }

  /** `processWord` that also reports which variables were used and which were unset. */
  processWordWithMatches(word: string, env: EnvSource): ProcessWordResult {
    return this.process(word, env, true);
  }

  private process(word: string, env: EnvSource, capture: boolean): ProcessWordResult {
    const scan = new WordScanner(this, word, toEnvGetter(env), capture);
    try {
      const { result, words } = scan.processStopOn(undefined, this.rawEscapes);
      return { result, words, matched: scan.matched, unmatched: scan.unmatched };
    } catch (e) {
      if (e instanceof LexError || e instanceof PatternError) {
        throw invalidArgument(`failed to process ${goQuote(word)}: ${e.message}`, e);
      }
      throw e;
    }
  }
}

/** One pass over one word; holds the cursor and what the pass has looked up. */
class WordScanner {
  private readonly chars: string[];
  private pos = 0;
  private rawEscapes: boolean;
  private readonly wordsBuffer = { s: '' };
  readonly matched = new Set<string>();
  readonly unmatched = new Set<string>();

  constructor(
    private readonly lex: ShellLex,
    word: string,
    private readonly env: EnvGetter,
    private readonly capture: boolean,
  ) {
    this.chars = Array.from(word);
    this.rawEscapes = lex.rawEscapes;
  }

  private peek(): string | undefined {
    return this.chars[this.pos];
  }

  private next(): string | undefined {
    return this.pos < this.chars.length ? this.chars[this.pos++] : undefined;
  }

  /** Processes up to `stop` (consumed) or the end of input when `stop` is undefined. */
  processStopOn(stop: string | undefined, rawEscapes: boolean): { result: string; words: string[] } {
    let result = '';
    this.wordsBuffer.s = '';
    const words = new Words(this.wordsBuffer);
    const saved = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    try {
      while (this.peek() !== undefined) {
        const ch = this.peek()!;
        if (stop !== undefined && ch === stop) {
          this.next();
          return { result, words: words.finish() };
        }
        const special = this.special(ch);
        if (special) {
          const tmp = special();
          result += tmp;
          if (ch === '$') words.addString(tmp);
          else words.addRaw(tmp);
          continue;
        }
        let c = this.next()!;
        if (c === this.lex.escapeToken) {
          if (this.rawEscapes) {
            words.addRaw(c);
            result += c;
          }
          // The escape token escapes the next character; at the end of input it is dropped.
          const escaped = this.next();
          if (escaped === undefined) break;
          c = escaped;
          words.addRaw(c);
        } else {
          words.addChar(c);
        }
        result += c;
      }
      if (stop !== undefined) {
        throw new LexError(`unexpected end of statement while looking for matching ${stop}`);
      }
      return { result, words: words.finish() };
    } finally {
      this.rawEscapes = saved;
    }
  }

  private special(ch: string): (() => string) | undefined {
    if (ch === '$') return () => this.processDollar();
    if (ch === '<') return () => this.processPossibleHeredoc();
    if (!this.lex.skipProcessQuotes) {
      if (ch === "'") return () => this.processSingleQuote();
      if (ch === '"') return () => this.processDoubleQuote();
    }
    return undefined;
  }

  private processSingleQuote(): string {
    // Nothing can be escaped between single quotes, not even a single quote.
    let result = '';
    const open = this.next()!;
    if (this.lex.rawQuotes) result += open;
    for (;;) {
      const ch = this.next();
      if (ch === undefined) throw new LexError('unexpected end of statement while looking for matching single-quote');
      if (ch === "'") {
        if (this.lex.rawQuotes) result += ch;
        return result;
      }
      result += ch;
    }
  }

  private processDoubleQuote(): string {
    // Variables expand; the escape token escapes only `"`, `$` and itself, else it is literal.
    let result = '';
    const open = this.next()!;
    if (this.lex.rawQuotes) result += open;
    for (;;) {
      const peek = this.peek();
      if (peek === undefined) throw new LexError('unexpected end of statement while looking for matching double-quote');
      if (peek === '"') {
        this.next();
        if (this.lex.rawQuotes) result += peek;
        return result;
      }
      if (peek === '$') {
        result += this.processDollar();
        continue;
      }
      let ch = this.next()!;
      if (ch === this.lex.escapeToken) {
        if (this.rawEscapes) result += ch;
        const after = this.peek();
        if (after === undefined) continue;
        if (after === '"' || after === '$' || after === this.lex.escapeToken) ch = this.next()!;
      }
      result += ch;
    }
  }

  private processPossibleHeredoc(): string {
    this.next();
    if (this.peek() !== '<') return '<';
    this.next();
    // `<<  EOF` is one heredoc marker: the whitespace stays attached to the word.
    let space = '';
    for (let ch = this.peek(); ch === '\t' || ch === '\r' || ch === ' '; ch = this.peek()) {
      space += ch;
      this.next();
    }
    return '<<' + space;
  }

  private processName(): string {
    let name = '';
    for (let ch = this.peek(); ch !== undefined; ch = this.peek()) {
      if (name === '' && isDigit(ch)) {
        // Positional parameters: all the digits, as in `$10`.
        while (this.peek() !== undefined && isDigit(this.peek()!)) name += this.next();
        return name;
      }
      if (name === '' && SPECIAL_PARAMS.has(ch)) return this.next()!;
      if (!isLetter(ch) && !isDigit(ch) && ch !== '_') break;
      name += this.next();
    }
    return name;
  }

  private getEnv(name: string): string | undefined {
    const v = this.env.get(name);
    if (this.capture) (v === undefined ? this.unmatched : this.matched).add(name);
    return v;
  }

  private processDollar(): string {
    this.next();
    if (this.peek() !== '{') {
      const name = this.processName();
      if (name === '') return '$';
      const value = this.getEnv(name);
      if (value === undefined && this.lex.skipUnsetEnv) return '$' + name;
      return value ?? '';
    }
    this.next();
    const first = this.peek();
    if (first === undefined) throw new LexError("syntax error: missing '}'");
    if (first === '{' || first === '}' || first === ':') throw new LexError('syntax error: bad substitution');
    const name = this.processName();
    return this.processModifier(name);
  }

  /** The part of `${name…}` after the name. */
  private processModifier(name: string): string {
    // Go reads EOF as U+FFFD, which only ever shows up in the error message.
    let ch = this.next() ?? '\ufffd';
    let chs = ch;
    if (ch === '}') {
      const value = this.getEnv(name);
      if (value === undefined && this.lex.skipUnsetEnv) return `\${${name}}`;
      return value ?? '';
    }
    if (ch === '/') return this.processReplace(name);
    let nullIsUnset = false;
    if (ch === ':') {
      nullIsUnset = true;
      ch = this.next() ?? '\ufffd';
      chs += ch;
    } else if (!'+-?#%'.includes(ch)) {
      throw new LexError(`unsupported modifier (${chs}) in substitution`);
    }
    const patternOp = ch === '#' || ch === '%';
    if (nullIsUnset && patternOp) throw new LexError(`unsupported modifier (${chs}) in substitution`);
    let word: string;
    try {
      word = this.processStopOn('}', patternOp).result;
    } catch (e) {
      if (this.peek() === undefined) throw new LexError("syntax error: missing '}'");
      throw e;
    }
    const value = this.getEnv(name);
    if (value === undefined && this.lex.skipUnsetEnv) return `\${${name}${chs}${word}}`;
    const unset = value === undefined || (nullIsUnset && value === '');
    switch (ch) {
      case '-':
        return unset ? word : value!;
      case '+':
        return unset ? '' : word;
      case '?':
        if (value === undefined) throw new LexError(`${name}: ${word || 'is not allowed to be unset'}`);
        if (nullIsUnset && value === '') throw new LexError(`${name}: ${word || 'is not allowed to be empty'}`);
        return value;
      case '%':
      case '#': {
        // A doubled operator (`%%`, `##`) asks for the longest match.
        const greedy = word.startsWith(ch);
        if (greedy) word = word.slice(1);
        return ch === '%' ? trimSuffix(word, value ?? '', greedy) : trimPrefix(word, value ?? '', greedy);
      }
      default:
        throw new LexError(`unsupported modifier (${chs}) in substitution`);
    }
  }

  private processReplace(name: string): string {
    const all = this.peek() === '/';
    if (all) this.next();
    let pattern: string;
    try {
      pattern = this.processStopOn('/', true).result;
    } catch (e) {
      if (this.peek() === undefined) throw new LexError("syntax error: missing '/' in ${}");
      throw e;
    }
    let replacement: string;
    try {
      replacement = this.processStopOn('}', true).result;
    } catch (e) {
      if (this.peek() === undefined) throw new LexError("syntax error: missing '}'");
      throw e;
    }
    const value = this.getEnv(name);
    if (value === undefined && this.lex.skipUnsetEnv) return `\${${name}/${pattern}/${replacement}}`;
    return replacePattern(pattern, value ?? '', replacement, all);
  }
}
