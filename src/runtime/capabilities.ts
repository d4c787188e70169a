/**
 * The Linux capability table, and capability names → the bitmasks the executor hands to
 * capset(2) and PR_CAPBSET_DROP.
 *
 * A capability is one bit of root's power; a process holds five sets of them (bounding,
 * permitted, effective, inheritable, ambient). The numbers are kernel ABI
 * (include/uapi/linux/capability.h) and never change; new kernels only append. A running kernel
 * may know fewer than this table (cap_last_cap), in which case higher bits must not be set.
 *
 * Name forms: OCI config.json uses "CAP_CHOWN" exactly. Docker's `--cap-add` also accepts
 * "CHOWN" and any letter case ("chown", "cap_chown"); `capabilityNumber` and
 * `capabilityMask` accept all of those, `isCanonicalCapability` only the OCI form.
 * Docker's "ALL" keyword is not a capability and is left to the Docker layer.
 */
import { readFileSync } from 'node:fs';
import { invalidArgument } from '../common/errors.js';

/** Every capability the kernel defines, by number (index = capability number). */
export const ALL_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', // 0
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL', // 5
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_LINUX_IMMUTABLE',
  'CAP_NET_BIND_SERVICE', // 10
  'CAP_NET_BROADCAST',
  'CAP_NET_ADMIN',
  'CAP_NET_RAW',
  'CAP_IPC_LOCK',
  'CAP_IPC_OWNER', // 15
  'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO',
  'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT', // 20
  'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME', // 25
  'CAP_SYS_TTY_CONFIG',
  'CAP_MKNOD',
  'CAP_LEASE',
  'CAP_AUDIT_WRITE',
  'CAP_AUDIT_CONTROL', // 30
  'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE',
  'CAP_MAC_ADMIN',
  'CAP_SYSLOG',
  'CAP_WAKE_ALARM', // 35
  'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ',
  'CAP_PERFMON',
  'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE', // 40
] as const;

/** The highest capability number this table knows. */
export const LAST_KNOWN_CAP = ALL_CAPABILITIES.length - 1;

/** Docker's default set for containers (moby oci/caps/defaults.go), in Docker's order. */
export const DOCKER_DEFAULT_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
] as const;

const BY_NAME: ReadonlyMap<string, number> = new Map(ALL_CAPABILITIES.map((n, i) => [n, i]));

/** "chown", "CHOWN", "cap_chown" → "CAP_CHOWN"; undefined when no such capability exists. */
export function canonicalCapability(name: string): string | undefined {
  const upper = name.toUpperCase();
  const full = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
  return BY_NAME.has(full) ? full : undefined;
}

/** True only for the exact OCI spelling ("CAP_CHOWN"), as config.json requires. */
export function isCanonicalCapability(name: string): boolean {
  return BY_NAME.has(name);
}

/** The capability's number, accepting the Docker-style forms too; undefined when unknown. */
export function capabilityNumber(name: string): number | undefined {
  const full = canonicalCapability(name);
  return full === undefined ? undefined : BY_NAME.get(full);
}

/** The name for a capability number; undefined past the table. */
export function capabilityName(n: number): string | undefined {
  return ALL_CAPABILITIES[n];
}

/**
 * The 64-bit mask of the named capabilities (bit n = capability n), as capset(2) takes it in two
 * 32-bit halves. Throws invalid-argument naming the first unknown capability.
 */
export function capabilityMask(names: readonly string[]): bigint {
  let mask = 0n;
  for (const name of names) {
    const n = capabilityNumber(name);
    if (n === undefined) throw invalidArgument(`unknown capability "${name}"`);
    mask |= 1n << BigInt(n);
  }
  return mask;
}

/** The names set in a mask, in number order (the inverse of capabilityMask). */
export function capabilityNames(mask: bigint): string[] {
  return ALL_CAPABILITIES.filter((_, i) => (mask >> BigInt(i)) & 1n);
}

let cachedLastCap: number | undefined;

/**
 * The highest capability the running kernel supports. Read once: the value cannot change while
 * the kernel runs. When /proc is unreadable (a sandbox without procfs) we assume this table.
 */
export function lastCap(): number {
  if (cachedLastCap !== undefined) return cachedLastCap;
  let n = LAST_KNOWN_CAP;
  try {
    const v = Number.parseInt(readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8').trim(), 10);
    if (Number.isInteger(v) && v >= 0) n = v;
  } catch {
    // keep the table's value
  }
  cachedLastCap = n;
  return n;
}
