/**
 * v2 memory controller. Unlike v1, swap is limited on its own (memory.swap.max), so OCI's
 * memory+swap total becomes swap − limit. There is no v2 equivalent of v1's swappiness,
 * oom_kill_disable or kernel TCP limit; like runc, those fields are ignored here.
 */
import { join } from 'node:path';
import { invalidArgument } from '../../../common/errors.js';
import type { LinuxMemory } from '../../../oci/runtime-spec.js';
import { readCgroupFile } from '../fs.js';
import { parseCount, parseFlatKeyed, parseLimit } from '../parse.js';
import type { MemoryStats } from '../stats.js';
import { limitValue, type CgroupWrite } from '../write.js';

/**
 * OCI swap (memory+swap; -1 unlimited, 0 unset) → memory.swap.max (-1 max, 0 no swap,
 * undefined unset). "Memory unlimited, swap unsaid" means both unlimited, for parity with v1.
 */
export function swapToV2(swap: number, limit: number): number | undefined {
  if (limit === -1 && swap === 0) return -1;
  if (swap === 0) return undefined;
  if (swap === -1) return -1;
  if (limit === 0 || limit === -1) throw invalidArgument('cannot set a swap limit without a memory limit');
  if (swap < limit) throw invalidArgument(`memory+swap limit (${swap}) must be at least the memory limit (${limit})`);
  return swap - limit;
}

export function memoryWrites(m: LinuxMemory | undefined): CgroupWrite[] {
  if (!m) return [];
  const writes: CgroupWrite[] = [];
  const limit = m.limit ?? 0;
  const swap = swapToV2(m.swap ?? 0, limit);
  if (swap !== undefined) {
    const value = limitValue(swap);
    // Without swap accounting, "unlimited" and "none" are what the kernel already does.
    writes.push({ file: 'memory.swap.max', value, optional: value === 'max' || value === '0' });
  }
  if (limit !== 0) writes.push({ file: 'memory.max', value: limitValue(limit) });
  if (m.reservation !== undefined && m.reservation !== 0) writes.push({ file: 'memory.low', value: limitValue(m.reservation) });
  return writes;
}

export async function memoryStats(dir: string): Promise<MemoryStats> {
  const read = (f: string) => readCgroupFile(join(dir, f));
  const [current, peak, max, events, stat, swCurrent, swMax] = await Promise.all([
    read('memory.current'), read('memory.peak'), read('memory.max'), read('memory.events'),
    read('memory.stat'), read('memory.swap.current'), read('memory.swap.max'),
  ]);
  const stats: MemoryStats = {
    usage: parseCount(current),
    maxUsage: parseCount(peak),
    failcnt: parseFlatKeyed(events)['max'] ?? 0,
    stat: parseFlatKeyed(stat),
  };
  const limit = parseLimit(max);
  if (limit !== undefined) stats.limit = limit;
  if (swCurrent !== undefined) stats.swapUsage = parseCount(swCurrent);
  const swLimit = parseLimit(swMax);
  if (swLimit !== undefined) stats.swapLimit = swLimit;
  return stats;
}

/** memory.events `oom_kill`: kills in this cgroup and its descendants. */
export async function oomKills(dir: string): Promise<number> {
  return parseFlatKeyed(await readCgroupFile(join(dir, 'memory.events')))['oom_kill'] ?? 0;
}
