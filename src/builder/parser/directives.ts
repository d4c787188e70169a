/**
 * Parser directives: `# syntax=…`, `# escape=…`, `# check=…`, as BuildKit reads them. They are
 * only recognised in the comment lines at the very top of the file; the first line that is not a
 * directive (an instruction, a blank line, an ordinary comment) ends the directive section for
 * good. Names are case-insensitive, unknown names end the section like ordinary comments, and a
 * repeated directive is an error.
 */

export const DEFAULT_ESCAPE_TOKEN = '\\';

export interface Directive {
  /** Lower-cased: `syntax`, `escape` or `check`. */
  name: string;
  value: string;
  /** 1-based line of the directive. */
  line: number;
}

const KNOWN = new Set(['syntax', 'escape', 'check']);
// Go's \s is [\t\n\f\r ] and its `.` stops at \n: spelled out so JavaScript agrees.
const DIRECTIVE = /^([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*([^\n]+?)[\t\n\f\r ]*$/;
const LEADING_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

export class DirectiveParser {
  private line: number;
  private done = false;
  private readonly seen = new Set<string>();

  /** `comment` is the prefix that introduces a directive; `startLine` counts skipped lines. */
  constructor(private readonly comment = '#', startLine = 0) {
    this.line = startLine;
  }

  /** True once a line ended the directive section. */
  isDone(): boolean {
    return this.done;
  }

  /** Feeds the next line (without its newline); returns the directive it holds, if any. */
  parseLine(text: string): Directive | undefined {
    this.line++;
    if (this.done) return undefined;
    if (!text.startsWith(this.comment)) {
      this.done = true;
      return undefined;
    }
    const m = DIRECTIVE.exec(text.slice(this.comment.length).replace(LEADING_SPACE, ''));
    const name = m?.[1]?.toLowerCase();
    if (!m || !name || !KNOWN.has(name)) {
      this.done = true;
      return undefined;
    }
    if (this.seen.has(name)) throw new Error(`only one ${name} parser directive can be used`);
    this.seen.add(name);
    return { name, value: m[2]!, line: this.line };
  }
}

/** Checks an `# escape=` value; only backslash and backtick can escape. */
export function validateEscapeToken(token: string): string {
  if (token !== '`' && token !== '\\') {
    throw new Error(`invalid escape token '${token}' does not match \` or \\`);
  }
  return token;
}

/**
 * The `# syntax=` directive of a Dockerfile without parsing it, as BuildKit's `DetectSyntax`
 * does to pick a frontend: a leading `#!` line is skipped, and `//syntax=` is accepted too.
 * Returns the image reference (the value up to the first space) or undefined.
 */
export function detectSyntax(text: string): string | undefined {
  let lines = text.replace(/^\ufeff/, '').split('\n');
  let start = 0;
  if (lines[0]?.startsWith('#!')) {
    lines = lines.slice(1);
    start = 1;
  }
  for (const prefix of ['#', '//']) {
    const parser = new DirectiveParser(prefix, start);
    for (const line of lines) {
      let d: Directive | undefined;
      try {
        d = parser.parseLine(line.replace(/\r$/, ''));
      } catch {
        break;
      }
      if (!d) {
        if (parser.isDone()) break;
        continue;
      }
      if (d.name === 'syntax') return d.value.split(' ')[0];
    }
  }
  return undefined;
}
