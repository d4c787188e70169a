/**
 * Docker's seccomp profile format → OCI `linux.seccomp`, as moby's `setupSeccomp`
 * (github.com/moby/profiles/seccomp) does it. Docker's format extends the OCI one with
 * `archMap` (native arch → its sub-architectures) and per-rule `includes`/`excludes` filters on
 * arch, capabilities and kernel version, resolved here once per container:
 * - only the native arch's archMap entry is kept (native + its sub-arches);
 * - a rule is dropped if any `excludes` matches (arch, any listed cap in the Bounding set, kernel
 *   ≥ minKernel) or any `includes` fails (arch, every listed cap in Bounding, kernel ≥ minKernel).
 * Arch names in filters are libseccomp's native names (amd64, x86, arm64, …), not SCMP_ARCH_*.
 */
import { release } from 'node:os';
import { invalidArgument } from '../common/errors.js';
import type { LinuxSeccomp, LinuxSeccompArg, LinuxSyscall, SeccompAction } from './runtime-spec.js';
import defaultProfile from './seccomp-default.json' with { type: 'json' };

export interface DockerSeccompFilter { caps?: string[]; arches?: string[]; minKernel?: string }

export interface DockerSeccompSyscall {
  /** Deprecated single-name form; exclusive with `names`. */
  name?: string;
  names?: string[];
  action: SeccompAction;
  errnoRet?: number;
  args?: LinuxSeccompArg[];
  comment?: string;
  includes?: DockerSeccompFilter;
  excludes?: DockerSeccompFilter;
}

export interface DockerSeccompProfile {
  defaultAction: SeccompAction;
  defaultErrnoRet?: number;
  architectures?: string[];
  archMap?: { architecture: string; subArchitectures?: string[] | null }[];
  flags?: string[];
  listenerPath?: string;
  listenerMetadata?: string;
  syscalls?: DockerSeccompSyscall[];
}

export interface DockerProfileOptions {
  /** Native arch: Node's `process.arch` (x64, arm64, …) or libseccomp's name (amd64, …). Default process.arch. */
  arch?: string;
  /** The container's Bounding capability set (CAP_* names). */
  capabilities: readonly string[];
  /** Host kernel release, e.g. "6.8.0-45-generic". Default os.release(). */
  kernel?: string;
}

/** A fresh copy of Docker's default profile (moby/profiles default.json). */
export function dockerDefaultSeccompProfile(): DockerSeccompProfile {
  return structuredClone(defaultProfile) as DockerSeccompProfile;
}

/** Node arch → libseccomp native name (moby's goToNative, keyed by GOARCH there). */
const NODE_TO_NATIVE: Readonly<Record<string, string>> = {
  x64: 'amd64', ia32: 'x86', arm64: 'arm64', arm: 'arm', riscv64: 'riscv64', ppc64: 'ppc64le',
  s390x: 's390x', s390: 's390', loong64: 'loongarch64', mips64el: 'mipsel64', mipsel: 'mipsle', ppc: 'ppc',
};

/** libseccomp native name → OCI arch (moby's nativeToSeccomp). */
const NATIVE_TO_OCI: Readonly<Record<string, string>> = {
  x86: 'SCMP_ARCH_X86', amd64: 'SCMP_ARCH_X86_64', arm: 'SCMP_ARCH_ARM', arm64: 'SCMP_ARCH_AARCH64',
  // moby keys LoongArch as "loong64" while its arch name is "loongarch64", so the archMap entry
  // is never found there; kept identical so profiles resolve the same way.
  loong64: 'SCMP_ARCH_LOONGARCH64', mips64: 'SCMP_ARCH_MIPS64', mips64n32: 'SCMP_ARCH_MIPS64N32',
  mipsel64: 'SCMP_ARCH_MIPSEL64', mips3l64n32: 'SCMP_ARCH_MIPSEL64N32', mipsle: 'SCMP_ARCH_MIPSEL',
  ppc: 'SCMP_ARCH_PPC', ppc64: 'SCMP_ARCH_PPC64', ppc64le: 'SCMP_ARCH_PPC64LE', riscv64: 'SCMP_ARCH_RISCV64',
  s390: 'SCMP_ARCH_S390', s390x: 'SCMP_ARCH_S390X',
};

/**
 * Resolves a Docker profile for one container. Returns undefined when the profile disables
 * seccomp (no default action and no syscalls), as moby does.
 */
export function dockerProfileToOci(profile: DockerSeccompProfile, opts: DockerProfileOptions): LinuxSeccomp | undefined {
  if (!profile.defaultAction && (profile.syscalls ?? []).length === 0) return undefined;
  if ((profile.architectures ?? []).length > 0 && (profile.archMap ?? []).length > 0) {
    throw invalidArgument("both 'architectures' and 'archMap' are specified in the seccomp profile, use either 'architectures' or 'archMap'");
  }
  const nodeArch = opts.arch ?? process.arch;
  const arch = NODE_TO_NATIVE[nodeArch] ?? nodeArch;
  const bounding = new Set(opts.capabilities);
  const host = parseHostKernel(opts.kernel ?? release());
  const kernelAtLeast = (v: string): boolean => {
    const min = parseMinKernel(v);
    return host[0] > min[0] || (host[0] === min[0] && host[1] >= min[1]);
  };

  const out: LinuxSeccomp = { defaultAction: profile.defaultAction };
  if (profile.defaultErrnoRet !== undefined) out.defaultErrnoRet = profile.defaultErrnoRet;
  const architectures = [...(profile.architectures ?? [])];
  const ociArch = Object.hasOwn(NATIVE_TO_OCI, arch) ? NATIVE_TO_OCI[arch] : undefined;
  const entry = ociArch === undefined ? undefined : (profile.archMap ?? []).find((a) => a.architecture === ociArch);
  if (entry) architectures.push(entry.architecture, ...(entry.subArchitectures ?? []));
  if (architectures.length > 0) out.architectures = architectures;
  if (profile.flags !== undefined) out.flags = [...profile.flags];
  if (profile.listenerPath !== undefined) out.listenerPath = profile.listenerPath;
  if (profile.listenerMetadata !== undefined) out.listenerMetadata = profile.listenerMetadata;

  const syscalls: LinuxSyscall[] = [];
  for (const call of profile.syscalls ?? []) {
    let names = call.names ?? [];
    if (call.name) {
      if (names.length > 0) {
        throw invalidArgument("both 'name' and 'names' are specified in the seccomp profile, use either 'name' or 'names'");
      }
      names = [call.name];
    }
    const ex = call.excludes;
    if (ex) {
      if (ex.arches?.includes(arch)) continue;
      if (ex.caps?.some((c) => bounding.has(c))) continue;
      if (ex.minKernel && kernelAtLeast(ex.minKernel)) continue;
    }
    const inc = call.includes;
    if (inc) {
      if (inc.arches && inc.arches.length > 0 && !inc.arches.includes(arch)) continue;
      if (inc.caps && !inc.caps.every((c) => bounding.has(c))) continue;
      if (inc.minKernel && !kernelAtLeast(inc.minKernel)) continue;
    }
    const rule: LinuxSyscall = { names: [...names], action: call.action };
    if (call.errnoRet !== undefined) rule.errnoRet = call.errnoRet;
    if (call.args && call.args.length > 0) rule.args = call.args.map((a) => ({ ...a }));
    syscalls.push(rule);
  }
  if (syscalls.length > 0) out.syscalls = syscalls;
  return out;
}

/** `"<kernel>.<major>"` as Docker profiles write it; each part 0-255, not both 0. */
function parseMinKernel(v: string): [number, number] {
  const bad = (why: string): never => {
    throw invalidArgument(`invalid kernel version: ${JSON.stringify(v)}, expected "<kernel>.<major>"${why}`);
  };
  const parts = v.split('.');
  if (parts.length !== 2) bad('');
  const [k, m] = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : NaN)) as [number, number];
  if (!(k <= 255) || !(m <= 255)) bad('');
  if (k === 0 && m === 0) bad(': version cannot be 0.0');
  return [k, m];
}

/** Host release: only "<kernel>.<major>" counts; "5.15.0-91-generic" and "5.15-rc1" are equal. */
function parseHostKernel(r: string): [number, number] {
  const m = /^\s*(\d+)\.(\d+)/.exec(r);
  if (!m) throw invalidArgument(`failed to parse kernel version ${JSON.stringify(r)}`);
  return [Number(m[1]), Number(m[2])];
}
