/**
 * Volume names: Docker's restricted name pattern (the name becomes a directory, so nothing that
 * could climb out of the volumes root), random 64-hex names for anonymous volumes, and Go's
 * RFC 3339 rendering of times, which is how Docker prints CreatedAt.
 */
import { randomBytes } from 'node:crypto';
import { invalidArgument } from '../../common/errors.js';

const NAME_CHARS = '[a-zA-Z0-9][a-zA-Z0-9_.-]';
const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** The reason `name` is not a valid local volume name, or undefined when it is. */
export function nameProblem(name: string): string | undefined {
  if (name.length === 1) {
    return 'volume name is too short, names should be at least two alphanumeric characters';
  }
  if (!NAME_PATTERN.test(name)) {
    return `${JSON.stringify(name)} includes invalid characters for a local volume name, only ` +
      `${JSON.stringify(NAME_CHARS)} are allowed. If you intended to pass a host directory, use absolute path`;
  }
  return undefined;
}

/** Throws Docker's `create <name>: …` invalid-argument error for a bad name. */
export function validateVolumeName(name: string): void {
  const problem = nameProblem(name);
  if (problem !== undefined) throw invalidArgument(`create ${name}: ${problem}`);
}

/** A random 64-hex name, as Docker's stringid.GenerateRandomID. */
export function anonymousName(): string {
  return randomBytes(32).toString('hex');
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Go's time.RFC3339 layout in the local zone: `2024-05-01T10:00:00Z` or `…T10:00:00+02:00`. */
export function rfc3339(date: Date): string {
  const off = -date.getTimezoneOffset();
  const zone = off === 0 ? 'Z' : `${off > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${zone}`;
}
