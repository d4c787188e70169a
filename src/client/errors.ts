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

/** Go's names for the TLS alerts a server sends (crypto/tls alertText). */
const ALERTS: Record<string, string> = {
  CERTIFICATE_REQUIRED: 'certificate required', BAD_CERTIFICATE: 'bad certificate', UNKNOWN_CA: 'unknown certificate authority',
  HANDSHAKE_FAILURE: 'handshake failure', CERTIFICATE_EXPIRED: 'expired certificate', CERTIFICATE_UNKNOWN: 'unknown certificate',
  PROTOCOL_VERSION: 'protocol version not supported', DECRYPT_ERROR: 'error decrypting message',
};

const UNKNOWN_AUTHORITY = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY']);

/**
 * What docker prints when a connection was made but the exchange failed (TLS, or the peer hung
 * up): `error during connect: GET "url": reason`, the reason in Go's words. Undefined for other
 * errors.
 */
export function transportError(e: unknown, method: string, url: string): Error | undefined {
  const err = e as NodeJS.ErrnoException;
  const code = err?.code ?? '';
  let reason: string | undefined;
  const alert = /ALERT_([A-Z_]+)$/.exec(code)?.[1];
  if (alert) reason = `remote error: tls: ${ALERTS[alert] ?? alert.toLowerCase().replaceAll('_', ' ')}`;
  else if (code === 'EPROTO' && /wrong version number/.test(err.message)) reason = 'http: server gave HTTP response to HTTPS client';
  else if (UNKNOWN_AUTHORITY.has(code)) reason = 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
  else if (code === 'CERT_HAS_EXPIRED') reason = 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid';
  else if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') reason = `tls: failed to verify certificate: x509: ${err.message}`;
  else if (code === 'ECONNRESET' && err.message === 'socket hang up') reason = 'EOF';
  if (reason === undefined) return undefined;
  const goMethod = method.charAt(0) + method.slice(1).toLowerCase();
  return new Error(`error during connect: ${goMethod} "${url}": ${reason}`, { cause: e });
}