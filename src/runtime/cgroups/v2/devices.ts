/**
 * v2 devices controller: loads the compiled device program and attaches it to the container's
 * cgroup. Programs are attached with BPF_F_ALLOW_MULTI (all attached programs must allow), and
 * on update the new program is attached before the old ones are detached, so there is no
 * moment where the container has no device policy. An attached program holds its own
 * reference, so the fds are closed at once.
 */
import { closeSync, constants, openSync } from 'node:fs';
import { EngineError, internal } from '../../../common/errors.js';
import type { LinuxDeviceCgroup } from '../../../oci/runtime-spec.js';
import { BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI, bpfProgAttach, bpfProgDetach, bpfProgGetFdById, bpfProgLoadCgroupDevice, bpfProgQuery } from '../../../sys/bpf.js';
import { normalizeDeviceRule } from '../device-rules.js';
import { compileDeviceProgram, encodeProgram } from './device-program.js';

function bpfError(e: unknown, what: string, dir: string): EngineError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EPERM' || code === 'EACCES') {
    return new EngineError('forbidden', `cannot ${what} the device cgroup program on ${dir}: ${code} (needs CAP_SYS_ADMIN or CAP_BPF)`, { cause: e });
  }
  return internal(`cannot ${what} the device cgroup program on ${dir}: ${e instanceof Error ? e.message : String(e)}`, e);
}

/** Replaces the device policy of the cgroup at `dir` with one compiled from `devices`. */
export function applyDeviceRules(dir: string, devices: LinuxDeviceCgroup[]): void {
  const insns = encodeProgram(compileDeviceProgram(devices.map(normalizeDeviceRule)));
  const cgroupFd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    const old = bpfProgQuery(cgroupFd, BPF_CGROUP_DEVICE);
    let progFd: number;
    try { progFd = bpfProgLoadCgroupDevice(insns); } catch (e) { throw bpfError(e, 'load', dir); }
    try { bpfProgAttach(cgroupFd, progFd, BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI); } catch (e) { throw bpfError(e, 'attach', dir); } finally { closeSync(progFd); }
    for (const id of old) {
      const fd = bpfProgGetFdById(id);
      try { bpfProgDetach(cgroupFd, fd, BPF_CGROUP_DEVICE); } catch (e) { throw bpfError(e, 'detach', dir); } finally { closeSync(fd); }
    }
  } finally {
    closeSync(cgroupFd);
  }
}

/** Ids of the device programs attached to the cgroup (for tests and diagnostics). */
export function attachedDevicePrograms(dir: string): number[] {
  const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try { return bpfProgQuery(fd, BPF_CGROUP_DEVICE); } finally { closeSync(fd); }
}
