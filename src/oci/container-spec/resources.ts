/**
 * HostConfig resources → OCI linux.resources, with Docker's conversions: NanoCpus to a CFS
 * quota, MemorySwap semantics (0 = twice the memory, -1 = unlimited), PidsLimit ≤ 0 unlimited,
 * blkio weights and throttles by host device path.
 */
import { statSync } from 'node:fs';
import type { HostConfig } from '../../api/types/generated.js';
import type { LinuxDeviceCgroup, LinuxResources, LinuxThrottleDevice, LinuxWeightDevice } from '../runtime-spec.js';
import { invalidArgument } from '../../common/errors.js';

function devNumbers(path: string): { major: number; minor: number } {
  try {
    const rdev = statSync(path).rdev;
    return { major: Math.floor(rdev / 256) & 0xfff, minor: (rdev & 0xff) | ((rdev >> 12) & 0xfff00) };
  } catch {
    throw invalidArgument(`error gathering device information while adding custom device "${path}": no such file or directory`);
  }
}

function throttles(list: { Path?: string; Rate?: number }[] | null | undefined): LinuxThrottleDevice[] | undefined {
  if (!list?.length) return undefined;
  return list.map((d) => ({ ...devNumbers(d.Path ?? ''), rate: d.Rate ?? 0 }));
}

/** `c 1:3 rwm`, `b *:* m`: Docker's --device-cgroup-rule syntax. */
export function parseDeviceCgroupRule(rule: string): LinuxDeviceCgroup {
  const m = /^([abc])\s+(\d+|\*):(\d+|\*)\s+([rwm]{1,3})$/.exec(rule.trim());
  if (!m) throw invalidArgument(`invalid device cgroup format '${rule}'`);
  const num = (s: string) => (s === '*' ? null : Number(s));
  return { allow: true, type: m[1] as 'a' | 'b' | 'c', major: num(m[2]!), minor: num(m[3]!), access: m[4]! };
}

export function buildResources(hc: HostConfig, deviceRules: LinuxDeviceCgroup[]): LinuxResources {
  const r: LinuxResources = { devices: deviceRules };
  const memory = hc.Memory ?? 0;
  if (memory || hc.MemoryReservation || hc.MemorySwap || hc.MemorySwappiness !== undefined || hc.OomKillDisable) {
    r.memory = {};
    if (memory > 0) r.memory.limit = memory;
    if (hc.MemoryReservation) r.memory.reservation = hc.MemoryReservation;
    const swap = hc.MemorySwap ?? 0;
    if (swap === -1) r.memory.swap = -1;
    else if (swap > 0) r.memory.swap = swap;
    else if (memory > 0) r.memory.swap = memory * 2;
    if (hc.MemorySwappiness !== undefined && hc.MemorySwappiness !== null && hc.MemorySwappiness >= 0) {
      r.memory.swappiness = hc.MemorySwappiness;
    }
    if (hc.OomKillDisable) r.memory.disableOOMKiller = true;
  }
  const cpu: NonNullable<LinuxResources['cpu']> = {};
  if (hc.CpuShares) cpu.shares = hc.CpuShares;
  if (hc.NanoCpus) {
    cpu.period = 100000;
    cpu.quota = Math.round((hc.NanoCpus * 100000) / 1e9);
  }
  if (hc.CpuPeriod) cpu.period = hc.CpuPeriod;
  if (hc.CpuQuota) cpu.quota = hc.CpuQuota;
  if (hc.CpusetCpus) cpu.cpus = hc.CpusetCpus;
  if (hc.CpusetMems) cpu.mems = hc.CpusetMems;
  if (hc.CpuRealtimePeriod) cpu.realtimePeriod = hc.CpuRealtimePeriod;
  if (hc.CpuRealtimeRuntime) cpu.realtimeRuntime = hc.CpuRealtimeRuntime;
  if (Object.keys(cpu).length) r.cpu = cpu;
  if (hc.PidsLimit !== undefined && hc.PidsLimit !== null && hc.PidsLimit > 0) r.pids = { limit: hc.PidsLimit };
  const weightDevice: LinuxWeightDevice[] = (hc.BlkioWeightDevice ?? []).map((d) => ({ ...devNumbers(d.Path ?? ''), weight: d.Weight }));
  const blk = {
    ...(hc.BlkioWeight ? { weight: hc.BlkioWeight } : {}),
    ...(weightDevice.length ? { weightDevice } : {}),
    ...(throttles(hc.BlkioDeviceReadBps) ? { throttleReadBpsDevice: throttles(hc.BlkioDeviceReadBps) } : {}),
    ...(throttles(hc.BlkioDeviceWriteBps) ? { throttleWriteBpsDevice: throttles(hc.BlkioDeviceWriteBps) } : {}),
    ...(throttles(hc.BlkioDeviceReadIOps) ? { throttleReadIOPSDevice: throttles(hc.BlkioDeviceReadIOps) } : {}),
    ...(throttles(hc.BlkioDeviceWriteIOps) ? { throttleWriteIOPSDevice: throttles(hc.BlkioDeviceWriteIOps) } : {}),
  };
  if (Object.keys(blk).length) r.blockIO = blk;
  return r;
}

export { devNumbers };
