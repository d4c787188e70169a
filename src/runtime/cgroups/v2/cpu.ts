/**
 * v2 cpu controller. cpu.weight (1–10000, default 100) replaces v1's cpu.shares (2–262144,
 * default 1024), converted linearly as runc and crun do; cpu.max holds "quota period" in one
 * write, "max" for no quota. Real-time bandwidth has no v2 interface and is refused.
 */
import { join } from 'node:path';
import { invalidArgument } from '../../../common/errors.js';
import type { LinuxCPU } from '../../../oci/runtime-spec.js';
import { readCgroupFile } from '../fs.js';
import { parseFlatKeyed } from '../parse.js';
import type { CpuStats } from '../stats.js';
import type { CgroupWrite } from '../write.js';

/** cpu.shares → cpu.weight: 2 → 1, 1024 → 39, 262144 → 10000; 0 stays "unset". */
export function sharesToWeight(shares: number): number {
  if (shares === 0) return 0;
  return 1 + Math.floor(((shares - 2) * 9999) / 262142);
}

export function cpuWrites(cpu: LinuxCPU | undefined): CgroupWrite[] {
  if (!cpu) return [];
  if (cpu.realtimePeriod || cpu.realtimeRuntime) throw invalidArgument('real-time CPU scheduling limits are not supported on cgroup v2');
  const writes: CgroupWrite[] = [];
  if (cpu.shares) {
    const weight = sharesToWeight(cpu.shares);
    if (weight < 1 || weight > 10000) throw invalidArgument(`invalid cpu shares ${cpu.shares}: must be between 2 and 262144`);
    writes.push({ file: 'cpu.weight', value: String(weight) });
  }
  const quota = cpu.quota ?? 0;
  const period = cpu.period ?? 0;
  if (quota !== 0 || period !== 0) {
    const max = quota > 0 ? String(quota) : 'max';
    writes.push({ file: 'cpu.max', value: period !== 0 ? `${max} ${period}` : max });
  }
  if (cpu.burst !== undefined) writes.push({ file: 'cpu.max.burst', value: String(cpu.burst) });
  if (cpu.idle !== undefined) writes.push({ file: 'cpu.idle', value: String(cpu.idle) });
  return writes;
}

/** cpu.stat is always present on v2 (usage even without the cpu controller); µs → ns. */
export async function cpuStats(dir: string): Promise<CpuStats> {
  const s = parseFlatKeyed(await readCgroupFile(join(dir, 'cpu.stat')));
  const ns = (k: string) => (s[k] ?? 0) * 1000;
  return {
    usageTotal: ns('usage_usec'),
    usagePerCpu: [],
    usageUser: ns('user_usec'),
    usageSystem: ns('system_usec'),
    throttling: { periods: s['nr_periods'] ?? 0, throttledPeriods: s['nr_throttled'] ?? 0, throttledTime: ns('throttled_usec') },
  };
}
