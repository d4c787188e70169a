/**
 * RLIMIT_* names (as OCI `process.rlimits[].type` spells them) → setrlimit(2) resource numbers.
 *
 * The numbers are from the kernel's asm-generic/resource.h, which x86_64 and aarch64 both use;
 * only alpha, mips, sparc and parisc renumber some of them, and we do not run there.
 */
import { invalidArgument } from '../common/errors.js';

export const RLIMITS: Readonly<Record<string, number>> = Object.freeze({
  RLIMIT_CPU: 0,
  RLIMIT_FSIZE: 1,
  RLIMIT_DATA: 2,
  RLIMIT_STACK: 3,
  RLIMIT_CORE: 4,
  RLIMIT_RSS: 5,
  RLIMIT_NPROC: 6,
  RLIMIT_NOFILE: 7,
  RLIMIT_MEMLOCK: 8,
  RLIMIT_AS: 9,
  RLIMIT_LOCKS: 10,
  RLIMIT_SIGPENDING: 11,
  RLIMIT_MSGQUEUE: 12,
  RLIMIT_NICE: 13,
  RLIMIT_RTPRIO: 14,
  RLIMIT_RTTIME: 15,
});

/** The names in resource-number order. */
export const RLIMIT_NAMES: readonly string[] = Object.keys(RLIMITS);

/** RLIM_INFINITY as the kernel stores it (~0UL); OCI configs write it as 18446744073709551615. */
export const RLIM_INFINITY = 0xffff_ffff_ffff_ffffn;

export function isRlimitName(name: string): boolean {
  return Object.hasOwn(RLIMITS, name);
}

/** The resource number for "RLIMIT_NOFILE" etc.; throws invalid-argument for anything else. */
export function rlimitNumber(name: string): number {
  if (!isRlimitName(name)) {
    throw invalidArgument(`unknown rlimit type "${name}" (expected one of ${RLIMIT_NAMES.join(', ')})`);
  }
  return RLIMITS[name]!;
}
