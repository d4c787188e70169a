/**
 * v1 cpu and cpuacct controllers (often co-mounted as "cpu,cpuacct"). The CFS period is written
 * before the quota so a new quota is checked against the new period; if the kernel refuses the
 * period first (old quota / new period above the parent's), it is retried after the quota.
 * Real-time: period before runtime, since runtime must fit within the period.
 */
import { join } from 'node:path';
import type { LinuxCPU } from '../../../oci/runtime-spec.js';
import { readCgroupFile } from '../fs.js';
import { parseCount, parseFlatKeyed, parseNumberList } from '../parse.js';
import type { CpuStats } from '../stats.js';
import type { CgroupWrite } from '../write.js';

export function cpuWrites(cpu: LinuxCPU | undefined): CgroupWrite[] {
  if (!cpu) return [];
  const writes: CgroupWrite[] = [];
  if (cpu.shares) writes.push({ file: 'cpu.shares', value: String(cpu.shares) });
  const quota = cpu.quota ?? 0;
  if (cpu.period) writes.push({ file: 'cpu.cfs_period_us', value: String(cpu.period), retryOnEinval: quota !== 0 });
  if (quota !== 0) writes.push({ file: 'cpu.cfs_quota_us', value: String(quota) });
  if (cpu.burst !== undefined) writes.push({ file: 'cpu.cfs_burst_us', value: String(cpu.burst) });
  if (cpu.realtimePeriod) writes.push({ file: 'cpu.rt_period_us', value: String(cpu.realtimePeriod) });
  if (cpu.realtimeRuntime) writes.push({ file: 'cpu.rt_runtime_us', value: String(cpu.realtimeRuntime) });
  if (cpu.idle !== undefined) writes.push({ file: 'cpu.idle', value: String(cpu.idle) });
  return writes;
}

/** USER_HZ: cpuacct.stat counts in clock ticks, 100 per second on every Linux ABI. */
const NS_PER_TICK = 1e9 / 100;

/** CPU stats from the cpuacct directory (usage) and the cpu directory (throttling). */
export async function cpuStats(cpuacctDir: string | undefined, cpuDir: string | undefined): Promise<CpuStats> {
  const acct = (f: string) => (cpuacctDir ? readCgroupFile(join(cpuacctDir, f)) : Promise.resolve(undefined));
  const [usage, perCpu, user, sys, stat, throttle] = await Promise.all([
    acct('cpuacct.usage'), acct('cpuacct.usage_percpu'), acct('cpuacct.usage_user'), acct('cpuacct.usage_sys'),
    acct('cpuacct.stat'), cpuDir ? readCgroupFile(join(cpuDir, 'cpu.stat')) : undefined,
  ]);
  const ticks = parseFlatKeyed(stat);
  const t = parseFlatKeyed(throttle);
  return {
    usageTotal: parseCount(usage),
    usagePerCpu: parseNumberList(perCpu),
    // Prefer the nanosecond files (Linux 4.7+) over tick counts.
    usageUser: user !== undefined ? parseCount(user) : (ticks['user'] ?? 0) * NS_PER_TICK,
    usageSystem: sys !== undefined ? parseCount(sys) : (ticks['system'] ?? 0) * NS_PER_TICK,
    throttling: { periods: t['nr_periods'] ?? 0, throttledPeriods: t['nr_throttled'] ?? 0, throttledTime: t['throttled_time'] ?? 0 },
  };
}
