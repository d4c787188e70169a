/**
 * The one table from error kinds to HTTP status codes, as moby's httpstatus.FromError does it
 * (errdefs kinds), plus the kinds moby reaches through gRPC codes: already-exists → 409 (gRPC
 * AlreadyExists → Conflict) and failed-precondition → 400 (gRPC FailedPrecondition →
 * BadRequest). Canceled is a 500, as in moby. Handlers never pick a status; they throw.
 */
import type { ErrorKind } from '../common/errors.js';
import { toEngineError } from '../common/errors.js';

export const STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  'not-found': 404,
  'invalid-argument': 400,
  'conflict': 409,
  'already-exists': 409,
  'failed-precondition': 400,
  'unauthorized': 401,
  'forbidden': 403,
  'not-modified': 304,
  'unavailable': 503,
  'not-implemented': 501,
  'canceled': 500,
  'internal': 500,
};

/** The status and the message to send for any thrown value. */
export function errorResponse(e: unknown): { status: number; message: string } {
  const err = toEngineError(e);
  return { status: STATUS_BY_KIND[err.kind] ?? 500, message: err.message };
}
