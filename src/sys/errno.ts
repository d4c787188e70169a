/**
 * Errno numbers → Node-style errors. Bindings in src/sys/ report failures the way node:fs does
 * (`code` 'EPERM', negative-free `errno`, `syscall`, `path`), so callers handle FFI failures and
 * node:fs failures with the same checks (`e.code === 'ENOENT'`).
 */
import { constants } from 'node:os';
import { getSystemErrorMap } from 'node:util';

const byNumber = new Map<number, string>();
for (const [name, num] of Object.entries(constants.errno)) {
  if (!byNumber.has(num)) byNumber.set(num, name);
}

/** The symbolic name of an errno value ('EPERM' for 1); 'E<n>' when unknown. */
export function errnoCode(errno: number): string {
  return byNumber.get(errno) ?? `E${errno}`;
}

/** The libc description of an errno value ("operation not permitted"). */
export function errnoMessage(errno: number): string {
  // libuv keys its map by negative errno values.
  return getSystemErrorMap().get(-errno)?.[1] ?? 'unknown error';
}

export interface SysError extends NodeJS.ErrnoException {
  code: string;
  errno: number;
  syscall: string;
  dest?: string;
}

/** Builds an error shaped like node:fs's: `EPERM: operation not permitted, mount '/x' -> '/y'`. */
export function sysError(errno: number, syscall: string, path?: string, dest?: string): SysError {
  const code = errnoCode(errno);
  let message = `${code}: ${errnoMessage(errno)}, ${syscall}`;
  if (path !== undefined) message += ` '${path}'`;
  if (dest !== undefined) message += ` -> '${dest}'`;
  const err = new Error(message) as SysError;
  err.code = code;
  err.errno = errno;
  err.syscall = syscall;
  if (path !== undefined) err.path = path;
  if (dest !== undefined) err.dest = dest;
  return err;
}

/** True when `e` is an errno error with one of the given codes. */
export function hasCode(e: unknown, ...codes: string[]): boolean {
  return typeof e === 'object' && e !== null && codes.includes((e as { code?: unknown }).code as string);
}
