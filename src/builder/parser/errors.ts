/**
 * Parse errors that know where they happened. BuildKit keeps the message and the location apart
 * (`LocationError`): the message is the bare cause (`file with no instructions`, `unterminated
 * heredoc`), and the client renders the lines. We do the same, so a caller can either print
 * Docker's message or build Docker's source excerpt from `startLine`/`endLine`.
 */
import { EngineError } from '../../common/errors.js';

export class DockerfileParseError extends EngineError {
  /** 1-based first and last line of the offending instruction. */
  readonly startLine: number;
  readonly endLine: number;

  constructor(message: string, startLine: number, endLine = startLine, cause?: unknown) {
    super('invalid-argument', message, { cause });
    this.name = 'DockerfileParseError';
    this.startLine = startLine;
    this.endLine = Math.max(startLine, endLine);
  }
}

/** Attaches a location to a failure from a line parser or the lexer, keeping its message. */
export function withLocation(e: unknown, startLine: number, endLine = startLine): DockerfileParseError {
  if (e instanceof DockerfileParseError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new DockerfileParseError(message, startLine, endLine, e);
}

/** Docker's form for the build's output: `dockerfile parse error on line 3: unterminated heredoc`. */
export function namingLine(e: unknown): unknown {
  if (!(e instanceof DockerfileParseError) || e.message.startsWith('dockerfile parse error') || e.message === 'file with no instructions') return e;
  return new DockerfileParseError(`dockerfile parse error on line ${e.startLine}: ${e.message}`, e.startLine, e.endLine, e);
}
