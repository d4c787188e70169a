/**
 * The seccomp compiler: an OCI `linux.seccomp` object → a classic-BPF program the executor hands
 * to seccomp(SECCOMP_SET_MODE_FILTER). It reproduces what runc + libseccomp install:
 *
 *   ld arch; one `jeq AUDIT_ARCH_*` per allowed arch; ret KILL_PROCESS for any other arch.
 *   per arch: ld nr; a binary search over syscall-number intervals, each leaf a `ret` or the
 *   argument rules of one syscall (first fully matching rule wins, else the default action).
 *
 * Intervals make the dispatch cheap: Docker's profile allows long runs of consecutive syscall
 * numbers, which collapse into one leaf each, so a lookup is ~7 comparisons. Like runc's
 * patchbpf, numbers above the highest syscall the profile names (syscalls newer than the
 * profile) return ENOSYS instead of a non-allow default, so libc falls back to older calls.
 * On x86_64, numbers with bit 30 set are x32 syscalls: judged by the x32 table when
 * SCMP_ARCH_X32 is allowed, by the default action otherwise.
 */
import { invalidArgument } from '../../common/errors.js';
import type { LinuxSeccomp } from '../../oci/runtime-spec.js';
import { AUDIT_ARCH, X32_SYSCALL_BIT, archInfo } from './arch.js';
import type { ArchInfo } from './arch.js';
import { Assembler, BPF, SECCOMP_DATA, encode } from './bpf.js';
import { ENOSYS, SECCOMP_RET, actionValue, filterFlags, isAllowLike } from './actions.js';
import { emitCondition } from './conditions.js';
import { allNames, normalizeRules } from './rules.js';
import type { NamedRule, Rule } from './rules.js';

export interface SeccompProgram {
  /** `struct sock_filter[]`, 8 bytes per instruction, little-endian. */
  filter: Buffer;
  /** Flags argument for seccomp(SECCOMP_SET_MODE_FILTER, flags, prog). */
  flags: number;
}

type Handler = { kind: 'ret'; ret: number } | { kind: 'rules'; rules: Rule[] };

interface Segment { lo: number; hi: number; h: Handler }

const U32_MAX = 0xffffffff;

export function compileSeccomp(spec: LinuxSeccomp, nativeArch: string = process.arch): SeccompProgram {
  if (spec === null || typeof spec !== 'object') throw invalidArgument('seccomp: profile must be an object');
  const defaultRet = actionValue(spec.defaultAction, spec.defaultErrnoRet, 'default action');
  const flags = filterFlags(spec.flags);
  const arches = allowedArches(spec, nativeArch);
  const rules = normalizeRules(spec.syscalls, defaultRet);
  const named = allNames(spec.syscalls);
  const enosys = !isAllowLike(defaultRet);

  // Sections: one per AUDIT_ARCH value; x86_64 and x32 share one.
  const audits = [...new Set(arches.map((a) => a.audit))];
  const asm = new Assembler();
  const entries = audits.map(() => asm.label());
  asm.load(SECCOMP_DATA.arch);
  audits.forEach((audit, i) => {
    const next = asm.label();
    asm.jump(BPF.JEQ_K, audit, entries[i]!, next);
    asm.bind(next);
  });
  asm.ret(SECCOMP_RET.KILL_PROCESS);
  audits.forEach((audit, i) => {
    asm.bind(entries[i]!);
    asm.load(SECCOMP_DATA.nr);
    const segs = sectionSegments(audit, arches, rules, named, defaultRet, enosys);
    emitTree(asm, segs, arches.find((a) => a.audit === audit)!.bits, defaultRet);
  });
  return { filter: encode(asm.assemble()), flags };
}

/** Native arch first, then `spec.architectures`; arches we have no table for are left out. */
function allowedArches(spec: LinuxSeccomp, nativeArch: string): ArchInfo[] {
  const native = archInfo(nativeArch);
  if (native === undefined || native.table === undefined) {
    throw invalidArgument(`seccomp: no syscall table for native architecture ${JSON.stringify(nativeArch)}`);
  }
  const out = [native];
  if (spec.architectures !== undefined && !Array.isArray(spec.architectures)) {
    throw invalidArgument('seccomp: architectures must be a list');
  }
  for (const name of spec.architectures ?? []) {
    const info = archInfo(name);
    if (info?.table !== undefined && !out.some((a) => a.name === info.name)) out.push(info);
  }
  return out;
}

/** The syscall-number intervals of one AUDIT_ARCH section, covering 0..2^32-1. */
function sectionSegments(
  audit: number, arches: ArchInfo[], rules: NamedRule[], named: Set<string>, defaultRet: number, enosys: boolean,
): Segment[] {
  const has = (n: string): ArchInfo | undefined => arches.find((a) => a.name === n);
  // Number ranges owned by each ABI of this section.
  const abis: { lo: number; hi: number; arch: ArchInfo | undefined; absent: number }[] = [];
  if (audit === AUDIT_ARCH.X86_64) {
    const x64 = has('SCMP_ARCH_X86_64');
    const x32 = has('SCMP_ARCH_X32');
    // An ABI of this section that is not allowed: x86_64 syscalls are a bad arch when only x32
    // is allowed; x32 syscalls take the default action when only x86_64 is.
    abis.push({ lo: 0, hi: X32_SYSCALL_BIT - 1, arch: x64, absent: SECCOMP_RET.KILL_PROCESS });
    abis.push({ lo: X32_SYSCALL_BIT, hi: U32_MAX, arch: x32, absent: defaultRet });
  } else {
    abis.push({ lo: 0, hi: U32_MAX, arch: arches.find((a) => a.audit === audit), absent: SECCOMP_RET.KILL_PROCESS });
  }

  const segs: Segment[] = [];
  for (const abi of abis) {
    if (abi.arch === undefined) {
      segs.push({ lo: abi.lo, hi: abi.hi, h: { kind: 'ret', ret: abi.absent } });
      continue;
    }
    const table = abi.arch.table!;
    const points = syscallHandlers(table, rules);
    let max = -1;
    for (const n of named) {
      const nr = table.get(n);
      if (nr !== undefined && nr > max) max = nr;
    }
    // Numbers above the newest syscall the profile knows: ENOSYS (runc's patchbpf stub).
    const gapRet = (nr: number): number =>
      enosys && max >= 0 && nr > max ? (SECCOMP_RET.ERRNO | ENOSYS) >>> 0 : defaultRet;
    let at = abi.lo;
    const fill = (upTo: number): void => {
      // Gap [at, upTo], split at the ENOSYS boundary.
      if (at > upTo) return;
      if (enosys && max >= at && max < upTo) {
        segs.push({ lo: at, hi: max, h: { kind: 'ret', ret: gapRet(at) } });
        segs.push({ lo: max + 1, hi: upTo, h: { kind: 'ret', ret: gapRet(max + 1) } });
      } else {
        segs.push({ lo: at, hi: upTo, h: { kind: 'ret', ret: gapRet(at) } });
      }
    };
    for (const [nr, h] of points) {
      if (nr < abi.lo || nr > abi.hi) continue;
      fill(nr - 1);
      segs.push({ lo: nr, hi: nr, h });
      at = nr + 1;
    }
    fill(abi.hi);
  }
  return merge(segs);
}

/** nr → what to do, for every syscall of `table` that some rule names, in ascending nr order. */
function syscallHandlers(table: ReadonlyMap<string, number>, rules: NamedRule[]): [number, Handler][] {
  const byNr = new Map<number, Rule[]>();
  for (const rule of rules) {
    for (const name of new Set(rule.names)) {
      const nr = table.get(name);
      if (nr === undefined) continue; // unknown on this arch: skipped, as libseccomp does
      const list = byNr.get(nr) ?? [];
      if (!list.some((r) => r.conditions.length === 0)) list.push(rule); // later rules are unreachable
      byNr.set(nr, list);
    }
  }
  const out: [number, Handler][] = [];
  for (const [nr, list] of byNr) {
    const first = list[0]!;
    out.push([nr, first.conditions.length === 0 ? { kind: 'ret', ret: first.ret } : { kind: 'rules', rules: list }]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/** Joins neighbouring intervals that return the same value. */
function merge(segs: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segs) {
    const last = out[out.length - 1];
    if (last && last.h.kind === 'ret' && s.h.kind === 'ret' && last.h.ret === s.h.ret && last.hi + 1 === s.lo) {
      last.hi = s.hi;
    } else {
      out.push({ ...s });
    }
  }
  return out;
}

/** Binary search over contiguous intervals; A holds the syscall number on entry. */
function emitTree(asm: Assembler, segs: Segment[], bits: 32 | 64, defaultRet: number): void {
  if (segs.length === 1) {
    emitHandler(asm, segs[0]!.h, bits, defaultRet);
    return;
  }
  const mid = segs.length >> 1;
  const left = asm.label();
  const right = asm.label();
  asm.jump(BPF.JGE_K, segs[mid]!.lo, right, left);
  asm.bind(left);
  emitTree(asm, segs.slice(0, mid), bits, defaultRet);
  asm.bind(right);
  emitTree(asm, segs.slice(mid), bits, defaultRet);
}

function emitHandler(asm: Assembler, h: Handler, bits: 32 | 64, defaultRet: number): void {
  if (h.kind === 'ret') {
    asm.ret(h.ret);
    return;
  }
  for (const rule of h.rules) {
    const next = asm.label();
    for (const c of rule.conditions) emitCondition(asm, c, bits, next);
    asm.ret(rule.ret);
    asm.bind(next);
  }
  if (h.rules[h.rules.length - 1]!.conditions.length > 0) asm.ret(defaultRet);
}
