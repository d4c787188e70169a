/**
 * OCI seccomp actions and filter flags → the kernel's numbers (<linux/seccomp.h>).
 * A filter's return value is an action in the high 16 bits and data (errno, trace message) in
 * the low 16. Errno defaults follow runc: EPERM unless the rule (or, for the default action, the
 * profile's defaultErrnoRet) says otherwise.
 */
import { invalidArgument } from '../../common/errors.js';

export const SECCOMP_RET = {
  KILL_PROCESS: 0x80000000,
  KILL_THREAD: 0x00000000,
  TRAP: 0x00030000,
  ERRNO: 0x00050000,
  USER_NOTIF: 0x7fc00000,
  TRACE: 0x7ff00000,
  LOG: 0x7ffc0000,
  ALLOW: 0x7fff0000,
} as const;

export const EPERM = 1;
export const ENOSYS = 38;

export const SECCOMP_FILTER_FLAG = {
  SECCOMP_FILTER_FLAG_TSYNC: 1,
  SECCOMP_FILTER_FLAG_LOG: 2,
  SECCOMP_FILTER_FLAG_SPEC_ALLOW: 4,
  SECCOMP_FILTER_FLAG_NEW_LISTENER: 8,
  SECCOMP_FILTER_FLAG_TSYNC_ESRCH: 16,
  SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV: 32,
} as const;

/**
 * The filter return value for an OCI action. `where` names the syscall(s) or "default action"
 * for error messages.
 */
export function actionValue(action: string, errnoRet: number | undefined, where: string): number {
  switch (action) {
    case 'SCMP_ACT_KILL':
    case 'SCMP_ACT_KILL_THREAD':
      return SECCOMP_RET.KILL_THREAD;
    case 'SCMP_ACT_KILL_PROCESS':
      return SECCOMP_RET.KILL_PROCESS;
    case 'SCMP_ACT_TRAP':
      return SECCOMP_RET.TRAP;
    case 'SCMP_ACT_ERRNO':
      return (SECCOMP_RET.ERRNO | data(errnoRet, where)) >>> 0;
    case 'SCMP_ACT_TRACE':
      return (SECCOMP_RET.TRACE | data(errnoRet, where)) >>> 0;
    case 'SCMP_ACT_ALLOW':
      return SECCOMP_RET.ALLOW;
    case 'SCMP_ACT_LOG':
      return SECCOMP_RET.LOG;
    case 'SCMP_ACT_NOTIFY':
      // A user-notification filter needs a listener fd handed to an agent; the executor has none,
      // and a notify action without a listener would make the syscall fail with ENOSYS.
      throw invalidArgument(`seccomp: SCMP_ACT_NOTIFY is not supported (${where}): no seccomp notify listener is available`);
    default:
      throw invalidArgument(`seccomp: unknown action ${JSON.stringify(action)} (${where})`);
  }
}

function data(errnoRet: number | undefined, where: string): number {
  if (errnoRet === undefined || errnoRet === null) return EPERM;
  if (!Number.isInteger(errnoRet) || errnoRet < 0 || errnoRet > 0xffff) {
    throw invalidArgument(`seccomp: errnoRet ${errnoRet} out of range 0-65535 (${where})`);
  }
  return errnoRet;
}

/** Actions under which a syscall runs; runc does not turn unknown syscalls into ENOSYS for them. */
export function isAllowLike(ret: number): boolean {
  const action = (ret & 0xffff0000) >>> 0;
  return action === SECCOMP_RET.ALLOW || action === SECCOMP_RET.LOG || action === SECCOMP_RET.TRACE;
}

/** OCI flag names → the flags argument of seccomp(SECCOMP_SET_MODE_FILTER, flags, prog). */
export function filterFlags(flags: readonly string[] | undefined): number {
  let out = 0;
  for (const f of flags ?? []) {
    if (f === 'SECCOMP_FILTER_FLAG_NEW_LISTENER') {
      throw invalidArgument('seccomp: flag SECCOMP_FILTER_FLAG_NEW_LISTENER is not supported: no seccomp notify listener is available');
    }
    const v = (SECCOMP_FILTER_FLAG as Record<string, number>)[f];
    if (v === undefined || !Object.hasOwn(SECCOMP_FILTER_FLAG, f)) {
      throw invalidArgument(`seccomp: unknown flag ${JSON.stringify(f)}`);
    }
    out |= v;
  }
  // WAIT_KILLABLE_RECV only qualifies a notify listener (the kernel refuses it with EINVAL
  // without NEW_LISTENER); libseccomp likewise passes it only along with a listener, and we
  // never have one, so it is accepted and has no effect.
  return out & ~SECCOMP_FILTER_FLAG.SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
}
