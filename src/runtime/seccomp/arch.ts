/**
 * Architectures a seccomp filter can tell apart. The kernel reports the calling ABI in
 * `seccomp_data.arch` as an AUDIT_ARCH_* value (<linux/audit.h>: ELF machine | 64-bit flag |
 * little-endian flag); the OCI spec names them SCMP_ARCH_*. x32 is the odd one out: it shares
 * AUDIT_ARCH_X86_64 and is told apart by bit 30 of the syscall number (__X32_SYSCALL_BIT).
 */
import { invalidArgument } from '../../common/errors.js';
import { SYSCALLS_X86_64 } from './syscalls-x86_64.js';
import { SYSCALLS_X86 } from './syscalls-x86.js';
import { SYSCALLS_X32 } from './syscalls-x32.js';
import { SYSCALLS_AARCH64 } from './syscalls-aarch64.js';

const AUDIT_ARCH_64BIT = 0x80000000;
const AUDIT_ARCH_LE = 0x40000000;

export const AUDIT_ARCH = {
  X86_64: (62 | AUDIT_ARCH_64BIT | AUDIT_ARCH_LE) >>> 0, // EM_X86_64
  I386: (3 | AUDIT_ARCH_LE) >>> 0, // EM_386
  AARCH64: (183 | AUDIT_ARCH_64BIT | AUDIT_ARCH_LE) >>> 0, // EM_AARCH64
  ARM: (40 | AUDIT_ARCH_LE) >>> 0, // EM_ARM
  RISCV64: (243 | AUDIT_ARCH_64BIT | AUDIT_ARCH_LE) >>> 0, // EM_RISCV
  PPC64LE: (21 | AUDIT_ARCH_64BIT | AUDIT_ARCH_LE) >>> 0, // EM_PPC64
  S390X: (22 | AUDIT_ARCH_64BIT) >>> 0, // EM_S390, big-endian
  LOONGARCH64: (258 | AUDIT_ARCH_64BIT | AUDIT_ARCH_LE) >>> 0, // EM_LOONGARCH
} as const;

/** Set in the syscall number by x32 processes. */
export const X32_SYSCALL_BIT = 0x40000000;

export interface ArchInfo {
  /** OCI name, e.g. SCMP_ARCH_X86_64. */
  readonly name: string;
  readonly audit: number;
  /** 32-bit ABIs pass 32-bit arguments: only the low word of each argument is compared. */
  readonly bits: 32 | 64;
  /** name → number; undefined when we carry no table for this arch. */
  readonly table: ReadonlyMap<string, number> | undefined;
}

const ARCHES: readonly ArchInfo[] = [
  { name: 'SCMP_ARCH_X86_64', audit: AUDIT_ARCH.X86_64, bits: 64, table: SYSCALLS_X86_64 },
  { name: 'SCMP_ARCH_X86', audit: AUDIT_ARCH.I386, bits: 32, table: SYSCALLS_X86 },
  { name: 'SCMP_ARCH_X32', audit: AUDIT_ARCH.X86_64, bits: 64, table: SYSCALLS_X32 },
  { name: 'SCMP_ARCH_AARCH64', audit: AUDIT_ARCH.AARCH64, bits: 64, table: SYSCALLS_AARCH64 },
  { name: 'SCMP_ARCH_ARM', audit: AUDIT_ARCH.ARM, bits: 32, table: undefined },
  { name: 'SCMP_ARCH_RISCV64', audit: AUDIT_ARCH.RISCV64, bits: 64, table: undefined },
  { name: 'SCMP_ARCH_PPC64LE', audit: AUDIT_ARCH.PPC64LE, bits: 64, table: undefined },
  { name: 'SCMP_ARCH_S390X', audit: AUDIT_ARCH.S390X, bits: 64, table: undefined },
  { name: 'SCMP_ARCH_LOONGARCH64', audit: AUDIT_ARCH.LOONGARCH64, bits: 64, table: undefined },
];

/**
 * OCI architecture names that exist in the runtime spec but that this compiler has no tables
 * for; they are accepted and left out of the filter (their syscalls hit the bad-arch action).
 */
const KNOWN_WITHOUT_INFO = new Set([
  'SCMP_ARCH_MIPS', 'SCMP_ARCH_MIPS64', 'SCMP_ARCH_MIPS64N32', 'SCMP_ARCH_MIPSEL',
  'SCMP_ARCH_MIPSEL64', 'SCMP_ARCH_MIPSEL64N32', 'SCMP_ARCH_PPC', 'SCMP_ARCH_PPC64',
  'SCMP_ARCH_S390', 'SCMP_ARCH_PARISC', 'SCMP_ARCH_PARISC64', 'SCMP_ARCH_RISCV32',
]);

/** Node's `process.arch` → OCI arch name. */
const FROM_NODE: Readonly<Record<string, string>> = {
  x64: 'SCMP_ARCH_X86_64',
  ia32: 'SCMP_ARCH_X86',
  arm64: 'SCMP_ARCH_AARCH64',
  arm: 'SCMP_ARCH_ARM',
  riscv64: 'SCMP_ARCH_RISCV64',
  ppc64: 'SCMP_ARCH_PPC64LE',
  s390x: 'SCMP_ARCH_S390X',
  loong64: 'SCMP_ARCH_LOONGARCH64',
};

/**
 * Resolves an OCI arch name (or a `process.arch` name, for the native arch) to its info.
 * Returns undefined for valid OCI names we have nothing for; throws for unknown names.
 */
export function archInfo(name: string): ArchInfo | undefined {
  const oci = FROM_NODE[name] ?? name;
  const info = ARCHES.find((a) => a.name === oci);
  if (info) return info;
  if (KNOWN_WITHOUT_INFO.has(oci)) return undefined;
  throw invalidArgument(`seccomp: unknown architecture ${JSON.stringify(name)}`);
}

/** Node's `process.arch` → OCI arch name, e.g. x64 → SCMP_ARCH_X86_64. */
export function ociArchFromNode(nodeArch: string): string {
  const oci = FROM_NODE[nodeArch];
  if (oci === undefined) throw invalidArgument(`seccomp: unsupported native architecture ${JSON.stringify(nodeArch)}`);
  return oci;
}
