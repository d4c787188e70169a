/**
 * The one error type that crosses layer boundaries. Every failure has exactly one kind; the API
 * layer maps kinds to HTTP status codes in one table, the CLIs map them to exit codes. Messages are
 * part of the contract (Docker's clients parse some of them), so factories keep Docker's wording.
 */
export type ErrorKind =
  | 'not-found'
  | 'invalid-argument'
  | 'conflict'
  | 'already-exists'
  | 'failed-precondition'
  | 'unauthorized'
  | 'forbidden'
  | 'not-modified'
  | 'unavailable'
  | 'not-implemented'
  | 'canceled'
  | 'internal';

export const ERROR_KINDS: readonly ErrorKind[] = [
  'not-found', 'invalid-argument', 'conflict', 'already-exists', 'failed-precondition',
  'unauthorized', 'forbidden', 'not-modified', 'unavailable', 'not-implemented', 'canceled',
  'internal',
] as const;

export class EngineError extends Error {
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.name = 'EngineError';
  }
}

export function isEngineError(e: unknown): e is EngineError {
  return e instanceof EngineError;
}

/** `No such container: x`, `No such image: x` — Docker's wording, which clients match on. */
export function notFound(what: string, id: string): EngineError {
  return new EngineError('not-found', `No such ${what}: ${id}`);
}

export function invalidArgument(message: string, cause?: unknown): EngineError {
  return new EngineError('invalid-argument', message, { cause });
}

export function conflict(message: string): EngineError {
  return new EngineError('conflict', message);
}

export function alreadyExists(message: string): EngineError {
  return new EngineError('already-exists', message);
}

export function failedPrecondition(message: string): EngineError {
  return new EngineError('failed-precondition', message);
}

export function notImplemented(message: string): EngineError {
  return new EngineError('not-implemented', message);
}

export function unavailable(message: string, cause?: unknown): EngineError {
  return new EngineError('unavailable', message, { cause });
}

export function internal(message: string, cause?: unknown): EngineError {
  return new EngineError('internal', message, { cause });
}

/** Wraps any thrown value into an EngineError, keeping an existing kind. */
export function toEngineError(e: unknown): EngineError {
  if (e instanceof EngineError) return e;
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err === 'object' && typeof err.code === 'string') {
    if (err.code === 'ENOENT') return new EngineError('not-found', err.message, { cause: e });
    if (err.code === 'EEXIST') return new EngineError('already-exists', err.message, { cause: e });
    if (err.code === 'EACCES' || err.code === 'EPERM') return new EngineError('forbidden', err.message, { cause: e });
  }
  return new EngineError('internal', err instanceof Error ? err.message : String(e), { cause: e });
}
