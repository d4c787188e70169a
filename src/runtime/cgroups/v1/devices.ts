/**
 * v1 devices controller: each rule is one write to devices.allow or devices.deny, in order,
 * so the usual "deny all, then allow the defaults" list leaves exactly the allowed set. Writing
 * "a" to devices.deny clears the cgroup's allow list, which is what makes that pattern work.
 * (On update of a running container the deny-all is briefly in force before the allows; runc
 * avoids this with a rule emulator computing the minimal diff, which skiff does not yet do.)
 */
import type { LinuxDeviceCgroup } from '../../../oci/runtime-spec.js';
import { formatDeviceRule, normalizeDeviceRule } from '../device-rules.js';
import type { CgroupWrite } from '../write.js';

export function devicesWrites(devices: LinuxDeviceCgroup[] | undefined): CgroupWrite[] {
  return (devices ?? []).map((d) => {
    const rule = normalizeDeviceRule(d);
    return { file: rule.allow ? 'devices.allow' : 'devices.deny', value: formatDeviceRule(rule) };
  });
}
