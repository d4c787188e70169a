/**
 * The Dockerfile parser (BuildKit `frontend/dockerfile/parser.Parse`): source text → AST of
 * instruction nodes with line numbers, plus parser directives and warnings.
 *
 * Physical lines are joined into logical ones: a line ending in the escape token (optionally
 * followed by blanks) continues on the next; comment lines and blank lines inside a continuation
 * are skipped (blank ones with a warning, as BuildKit does). Only the first line of an
 * instruction loses its leading whitespace; continuation lines keep theirs. Heredoc bodies are
 * taken verbatim after the logical line that opens them.
 */
import { trimLeftSpace, trimSpace } from '../shell/unicode.js';
import { DEFAULT_ESCAPE_TOKEN, DirectiveParser, validateEscapeToken } from './directives.js';
import { DockerfileParseError, withLocation } from './errors.js';
import { heredocsFromLine } from './heredoc.js';
import { newNodeFromLine } from './instruction-line.js';
import { newNode, type Node } from './node.js';

export interface Warning {
  short: string;
  detail: string[];
  url: string;
  startLine: number;
  endLine: number;
}

export interface ParserDirectives {
  syntax?: string;
  /** The escape token in effect: `\` unless `# escape=`` ` was given. */
  escape: string;
  check?: string;
}

export interface ParseResult {
  ast: Node;
  directives: ParserDirectives;
  warnings: Warning[];
  escapeToken: string;
}

/** BuildKit reads lines with Go's bufio.Scanner, whose token limit is 64 KiB. */
const MAX_LINE_BYTES = 64 * 1024;
const HEREDOC_COMMANDS = new Set(['add', 'copy', 'run']);

function isComment(line: string): boolean {
  return trimLeftSpace(line).startsWith('#');
}

function trimNewline(line: string): string {
  return line.replace(/[\r\n]+$/, '');
}

function isEmptyContinuationLine(line: string): boolean {
  return trimLeftSpace(trimNewline(line)) === '';
}

/**
 * Matches a trailing escape token (and blanks after it) that is not itself escaped, or an escape
 * token alone on its line. Like BuildKit's, it cannot tell `\\\` (escaped escape, then a
 * continuation) from an escaped escape; that is accepted behaviour.
 */
function continuationRegex(escapeToken: string): RegExp {
  const e = escapeToken === '\\' ? '\\\\' : '`';
  return new RegExp(`([^${e}])${e}[ \\t]*$|^${e}[ \\t]*$`);
}

/** Physical lines with their line endings, like BuildKit's scanLines. */
function splitLines(text: string): string[] {
  const lines: string[] = [];
  for (let i = 0; i < text.length;) {
    const j = text.indexOf('\n', i);
    const end = j < 0 ? text.length : j + 1;
    lines.push(text.slice(i, end));
    i = end;
  }
  return lines;
}

function tooLong(line: string): boolean {
  // A line that fits the scanner's buffer together with its newline is fine; one at EOF
  // without a newline needs one byte of room for the scanner to see the end of input.
  if (line.length * 3 < MAX_LINE_BYTES - 1) return false;
  const bytes = Buffer.byteLength(line, 'utf8');
  return line.endsWith('\n') ? bytes > MAX_LINE_BYTES : bytes > MAX_LINE_BYTES - 1;
}

function canContainHeredoc(node: Node): boolean {
  let n = node;
  if (n.value.toLowerCase() === 'onbuild' && n.next && n.next.children.length > 0) n = n.next.children[0]!;
  return HEREDOC_COMMANDS.has(n.value.toLowerCase()) && !n.attributes['json'];
}

export function parseDockerfile(text: string): ParseResult {
  const lines = splitLines(text.startsWith('\ufeff') ? text.slice(1) : text);
  let idx = 0;
  let scanError: DockerfileParseError | undefined;
  let currentLine = 0;
  // Like bufio.Scanner: a line over the limit ends the input and the error is reported at the end.
  const scan = (): string | undefined => {
    if (scanError || idx >= lines.length) return undefined;
    const line = lines[idx]!;
    if (tooLong(line)) {
      scanError = new DockerfileParseError(
        `dockerfile line greater than max allowed size of ${MAX_LINE_BYTES - 1}`, currentLine + 1);
      return undefined;
    }
    idx++;
    return line;
  };

  const directiveParser = new DirectiveParser();
  const directives: ParserDirectives = { escape: DEFAULT_ESCAPE_TOKEN };
  let escapeToken = DEFAULT_ESCAPE_TOKEN;
  let continuation = continuationRegex(escapeToken);

  /** Strips the newline (and comments), and feeds the directive parser. */
  const processLine = (raw: string, stripLeft: boolean): { text: string; directive: boolean } => {
    let token = trimNewline(raw);
    if (stripLeft) token = trimLeftSpace(token);
    let directive = false;
    try {
      const d = directiveParser.parseLine(token);
      if (d) {
        if (d.name === 'escape') {
          escapeToken = validateEscapeToken(d.value);
          continuation = continuationRegex(escapeToken);
        }
        directives[d.name as 'syntax' | 'escape' | 'check'] = d.value;
        directive = true;
      }
    } catch (e) {
      throw withLocation(e, currentLine + 1);
    }
    return { text: isComment(token) ? '' : token, directive };
  };

  /** Removes a trailing continuation; the boolean says whether the logical line ends here. */
  const trimContinuation = (line: string): [string, boolean] =>
    continuation.test(line) ? [line.replace(continuation, '$1'), false] : [line, true];

  const root = newNode();
  root.startLine = -1;
  const warnings: Warning[] = [];
  let comments: string[] = [];

  for (let raw = scan(); raw !== undefined; raw = scan()) {
    if (isComment(raw)) {
      const comment = trimSpace(raw.slice(1));
      comments = comment === '' ? [] : [...comments, comment];
    }
    const first = processLine(raw, true);
    if (first.directive) comments = comments.slice(0, -1);
    currentLine++;
    const startLine = currentLine;
    let [text, ended] = trimContinuation(first.text);
    if (ended && text === '') continue;

    let line = text;
    let hasEmptyContinuationLine = false;
    while (!ended) {
      const next = scan();
      if (next === undefined) break;
      const processed = processLine(next, false);
      currentLine++;
      if (isComment(next)) continue;
      if (isEmptyContinuationLine(processed.text)) {
        hasEmptyContinuationLine = true;
        continue;
      }
      [text, ended] = trimContinuation(processed.text);
      line += text;
    }

    if (hasEmptyContinuationLine) {
      warnings.push({
        short: 'Empty continuation line found in: ' + line,
        detail: ['Empty continuation lines will become errors in a future release'],
        url: 'https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/',
        startLine: currentLine,
        endLine: currentLine,
      });
    }

    let child: Node;
    try {
      child = newNodeFromLine(line, escapeToken, comments);
    } catch (e) {
      throw withLocation(e, startLine, currentLine);
    }

    if (canContainHeredoc(child) && line.includes('<<')) {
      let heredocs;
      try {
        heredocs = heredocsFromLine(line);
      } catch (e) {
        throw withLocation(e, startLine, currentLine);
      }
      for (const heredoc of heredocs) {
        let terminated = false;
        let content = heredoc.content;
        for (let body = scan(); body !== undefined; body = scan()) {
          currentLine++;
          let candidate = trimNewline(body);
          if (heredoc.chomp) candidate = candidate.replace(/^\t+/, '');
          if (candidate === heredoc.name) {
            terminated = true;
            break;
          }
          content += body;
        }
        if (!terminated) throw new DockerfileParseError('unterminated heredoc', startLine, currentLine);
        child.heredocs.push({ ...heredoc, content });
      }
    }

    child.startLine = startLine;
    child.endLine = currentLine;
    if (root.startLine < 0) root.startLine = startLine;
    root.endLine = currentLine;
    root.children.push(child);
    comments = [];
  }

  if (root.startLine < 0) throw new DockerfileParseError('file with no instructions', currentLine);
  if (scanError) throw scanError;
  return { ast: root, directives, warnings, escapeToken };
}

/** BuildKit's `PrintWarnings` lines, for a build's output stream. */
export function formatWarnings(warnings: readonly Warning[]): string[] {
  if (warnings.length === 0) return [];
  return [
    ...warnings.map((w) => `[WARNING]: ${w.short}`),
    '[WARNING]: Empty continuation lines will become errors in a future release.',
  ];
}
