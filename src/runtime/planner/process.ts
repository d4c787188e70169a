/**
 * The process steps, in runc's order: rlimits, terminal, cwd, then privileges — seccomp before
 * dropping capabilities when no_new_privileges is off (loading a filter then needs
 * CAP_SYS_ADMIN), as late as possible otherwise — and finally args, env, the early executable
 * check, the create/start wait and exec.
 */
import type { LinuxSeccomp, Process } from '../../oci/runtime-spec.js';
import { capabilityMask, lastCap } from '../capabilities.js';
import { rlimitNumber } from '../rlimits.js';
import { compileSeccomp } from '../seccomp/index.js';
import { Op, type PlanOp } from '../plan/ops.js';

export interface ProcessOptions {
  /** Block on the exec fifo before exec (create/start split). */
  waitStart: boolean;
  seccomp?: LinuxSeccomp;
  /** Whether setgroups(2) is permitted (false in a user namespace with setgroups denied). */
  setgroups: boolean;
  preserveFds?: number;
}

/** Containers mostly share one profile (Docker's default for one capability set): compile once. */
const compiled = new Map<string, ReturnType<typeof compileSeccomp>>();

function compileCached(spec: LinuxSeccomp): ReturnType<typeof compileSeccomp> {
  const key = JSON.stringify(spec);
  let p = compiled.get(key);
  if (!p) {
    p = compileSeccomp(spec);
    if (compiled.size > 32) compiled.clear();
    compiled.set(key, p);
  }
  return p;
}

function limit(v: number | bigint): string {
  const b = BigInt(v);
  return b < 0n || b >= 0x7fff_ffff_ffff_ffffn ? 'inf' : b.toString();
}

/** Capabilities this kernel knows; configs may name newer ones, which runc ignores too. */
function caps(names: readonly string[] | undefined): bigint {
  return capabilityMask(names ?? []) & ((1n << BigInt(lastCap() + 1)) - 1n);
}

export function planProcess(p: Process, opts: ProcessOptions): PlanOp[] {
  const ops: PlanOp[] = [];
  for (const r of p.rlimits ?? []) ops.push({ op: Op.RLIMIT, args: [rlimitNumber(r.type), limit(r.soft), limit(r.hard)] });
  if (p.terminal) ops.push({ op: Op.CONSOLE, args: [p.consoleSize?.height ?? 0, p.consoleSize?.width ?? 0] });
  else ops.push({ op: Op.SETSID, args: [] });
  ops.push({ op: Op.CHDIR, args: [p.cwd] });
  ops.push({ op: Op.UMASK, args: [p.user.umask ?? 0o022] });
  const seccomp = opts.seccomp ? compileCached(opts.seccomp) : undefined;
  const seccompOp: PlanOp | undefined = seccomp && { op: Op.SECCOMP, args: [seccomp.flags, seccomp.filter] };
  if (seccompOp && !p.noNewPrivileges) ops.push(seccompOp);
  if (p.noNewPrivileges) ops.push({ op: Op.NO_NEW_PRIVS, args: [] });
  const c = p.capabilities ?? {};
  ops.push({ op: Op.CAPS_BOUNDING, args: [caps(c.bounding)] });
  ops.push({
    op: Op.USER,
    args: [p.user.uid, p.user.gid, opts.setgroups ? 1 : 0, ...(opts.setgroups ? p.user.additionalGids ?? [] : [])],
  });
  ops.push({
    op: Op.CAPS,
    args: [
      caps(c.effective),
      caps(c.permitted),
      caps(c.inheritable),
      caps(c.ambient),
    ],
  });
  if (seccompOp && p.noNewPrivileges) ops.push(seccompOp);
  if (opts.preserveFds) ops.push({ op: Op.PRESERVE_FDS, args: [opts.preserveFds] });
  ops.push({ op: Op.ARGS, args: p.args ?? [] });
  ops.push({ op: Op.ENV, args: p.env ?? [] });
  ops.push({ op: Op.CHECK_EXEC, args: [] });
  if (opts.waitStart) ops.push({ op: Op.WAIT_START, args: [] });
  ops.push({ op: Op.EXEC, args: [] });
  return ops;
}
