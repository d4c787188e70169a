/**
 * Errors the client raises. A daemon answer that is not 2xx becomes an ApiError carrying the
 * status and the daemon's own message (docker prints it as "Error response from daemon: …");
 * a failed dial becomes a ConnectError worded like docker's "Cannot connect to the Docker
 * daemon at …" so scripts that grep for it keep working.
 */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

export class ConnectError extends Error {
  constructor(readonly host: string, cause?: unknown) {
    super(`Cannot connect to the Docker daemon at ${host}. Is the docker daemon running?`, { cause });
    this.name = 'ConnectError';
  }
}

/** Builds an ApiError from a response body: JSON `{"message"}` or plain text (API < 1.24). */
export function apiErrorFrom(status: number, body: string): ApiError {
  let message = body.trim();
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string') message = parsed.message;
  } catch {
    // plain text body
  }
  if (message === '') message = `request returned ${status} with an empty body`;
  return new ApiError(status, message);
}

const DIAL_ERRORS = new Set(['ENOENT', 'ECONNREFUSED', 'EACCES', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'ETIMEDOUT']);

/** True for errors that mean "nothing answered at that address". */
export function isDialError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && DIAL_ERRORS.has(code);
}
