/**
 * OCI device cgroup rules, validated once for both versions. A rule allows or denies access
 * ("r", "w", "m" = mknod) to a type of device ("a" all, "c" char, "b" block) by major:minor,
 * where an absent major or minor is a wildcard. Rules apply in order; the last match wins.
 */
import { invalidArgument } from '../../common/errors.js';
import type { LinuxDeviceCgroup } from '../../oci/runtime-spec.js';

export interface DeviceRule {
  allow: boolean;
  type: 'a' | 'b' | 'c';
  /** -1 for any. */
  major: number;
  /** -1 for any. */
  minor: number;
  /** A non-empty subset of "rwm", in that order. */
  access: string;
}

function deviceNumber(n: number | null | undefined, what: string): number {
  if (n === undefined || n === null || n === -1) return -1;
  if (!Number.isInteger(n) || n < 0 || n > 0xfffff) throw invalidArgument(`invalid device ${what} ${n}`);
  return n;
}

export function normalizeDeviceRule(d: LinuxDeviceCgroup): DeviceRule {
  const type = d.type ?? 'a';
  if (type !== 'a' && type !== 'b' && type !== 'c') throw invalidArgument(`invalid device cgroup type ${JSON.stringify(type)}`);
  const access = d.access === undefined || d.access === '' ? 'rwm' : d.access;
  if (!/^[rwm]+$/.test(access)) throw invalidArgument(`invalid device cgroup access ${JSON.stringify(access)}`);
  const canonical = ['r', 'w', 'm'].filter((c) => access.includes(c)).join('');
  return { allow: d.allow, type, major: deviceNumber(d.major, 'major'), minor: deviceNumber(d.minor, 'minor'), access: canonical };
}

/** The v1 devices.allow / devices.deny line: "c 1:5 rwm", "a *:* rwm". */
export function formatDeviceRule(r: DeviceRule): string {
  const num = (n: number) => (n < 0 ? '*' : String(n));
  return `${r.type} ${num(r.major)}:${num(r.minor)} ${r.access}`;
}
