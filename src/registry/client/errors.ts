/**
 * Registry errors → engine error kinds. A registry answers failures with a status code and a
 * body `{"errors":[{"code","message","detail"}]}` (OCI distribution spec, "Error Codes"); Docker
 * prints each as `<code in lower case with spaces>: <message>`, e.g. `manifest unknown: manifest
 * unknown`, and users recognise that text. Connection-level failures are `TransportError`s, the
 * signal to fall back to the next endpoint (a mirror, or plain HTTP for an insecure registry).
 */
import { EngineError, type ErrorKind } from '../../common/errors.js';

export class TransportError extends EngineError {
  constructor(message: string, cause?: unknown) {
    super('unavailable', message, { cause });
    this.name = 'TransportError';
  }
}

export function isTransportError(e: unknown): e is TransportError {
  return e instanceof TransportError;
}

interface RegistryErrorBody {
  errors?: Array<{ code?: string; message?: string; detail?: unknown }>;
}

function kindForStatus(status: number): ErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 405 || status === 501) return 'not-implemented';
  if (status === 409) return 'conflict';
  if (status === 429 || status >= 500) return 'unavailable';
  return 'invalid-argument';
}

/** Formats a registry's error body the way Docker does; falls back to the status text. */
export function formatRegistryErrors(status: number, body: Buffer | string): string {
  let parsed: RegistryErrorBody | undefined;
  try {
    parsed = JSON.parse(body.toString()) as RegistryErrorBody;
  } catch {
    parsed = undefined;
  }
  const errs = (parsed?.errors ?? []).filter((e) => e && typeof e === 'object');
  const lines = errs.map((e) => {
    const code = (e.code ?? 'unknown').toLowerCase().replace(/_/g, ' ');
    return e.message ? `${code}: ${e.message}` : code;
  });
  if (lines.length === 1) return lines[0] as string;
  if (lines.length > 1) return `errors:\n${lines.join('\n')}`;
  if (status === 401) return 'unauthorized: authentication required';
  if (status === 403) return 'denied: requested access to the resource is denied';
  if (status === 429) return 'toomanyrequests: too many requests';
  const text = body.toString().trim().slice(0, 200);
  return text ? `unexpected status ${status}: ${text}` : `unexpected status ${status}`;
}

/** The engine error for an unexpected registry response. `context` prefixes the message. */
export function registryError(status: number, body: Buffer | string, context?: string): EngineError {
  const msg = formatRegistryErrors(status, body);
  return new EngineError(kindForStatus(status), context ? `${context}: ${msg}` : msg);
}
