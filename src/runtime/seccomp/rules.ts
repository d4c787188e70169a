/**
 * OCI `linux.seccomp.syscalls` → validated rules, with runc's adjustments applied before any
 * code is generated:
 * - a rule whose action equals the default action is dropped (runc skips it as redundant);
 * - a rule with several conditions on the same argument becomes one rule per condition (runc's
 *   "old behaviour": such profiles meant OR, and libseccomp cannot AND them);
 * - names unknown on an arch are skipped per arch (see compile.ts), not an error.
 */
import { invalidArgument } from '../../common/errors.js';
import type { LinuxSyscall } from '../../oci/runtime-spec.js';
import { actionValue } from './actions.js';
import { parseCondition } from './conditions.js';
import type { Condition } from './conditions.js';

export interface Rule {
  /** The filter return value when every condition holds. */
  ret: number;
  /** ANDed; empty means unconditional. */
  conditions: Condition[];
}

export interface NamedRule extends Rule { names: readonly string[] }

/** Validates the syscall rules and applies runc's rewrites; keeps the profile's order. */
export function normalizeRules(syscalls: readonly LinuxSyscall[] | undefined, defaultRet: number): NamedRule[] {
  const out: NamedRule[] = [];
  for (const [i, call] of (syscalls ?? []).entries()) {
    if (call === null || typeof call !== 'object') throw invalidArgument(`seccomp: syscalls[${i}] is not an object`);
    const names = call.names;
    if (!Array.isArray(names) || names.some((n) => typeof n !== 'string' || n === '')) {
      throw invalidArgument(`seccomp: syscalls[${i}].names must be a list of syscall names`);
    }
    const where = `syscall ${names.join(', ') || `rule ${i}`}`;
    const ret = actionValue(call.action, call.errnoRet, where);
    const args = call.args ?? [];
    if (!Array.isArray(args)) throw invalidArgument(`seccomp: syscalls[${i}].args must be a list (${where})`);
    const conditions = args.map((a) => parseCondition(a, where));
    if (ret === defaultRet) continue;
    const indexes = conditions.map((c) => c.index);
    if (new Set(indexes).size !== indexes.length) {
      for (const c of conditions) out.push({ names, ret, conditions: [c] });
    } else {
      out.push({ names, ret, conditions });
    }
  }
  return out;
}

/** Every name the profile mentions, including dropped rules (runc's ENOSYS boundary uses all). */
export function allNames(syscalls: readonly LinuxSyscall[] | undefined): Set<string> {
  const names = new Set<string>();
  for (const call of syscalls ?? []) for (const n of call.names ?? []) names.add(n);
  return names;
}
