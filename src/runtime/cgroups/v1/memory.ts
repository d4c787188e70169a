/**
 * v1 memory controller. OCI `memory.swap` is memory+swap (memory.memsw.limit_in_bytes), and the
 * kernel requires memsw ≥ limit at every instant, so the write order depends on the direction of
 * the change: when raising (or going unlimited) memsw goes first, when lowering the limit does.
 */
import { join } from 'node:path';
import { failedPrecondition, invalidArgument } from '../../../common/errors.js';
import type { LinuxMemory } from '../../../oci/runtime-spec.js';
import { readCgroupFile } from '../fs.js';
import { parseCount, parseFlatKeyed, parseLimit } from '../parse.js';
import type { MemoryStats } from '../stats.js';
import type { CgroupProbe, CgroupWrite } from '../write.js';

const LIMIT = 'memory.limit_in_bytes';
const MEMSW = 'memory.memsw.limit_in_bytes';

export function memoryWrites(m: LinuxMemory | undefined, probe: CgroupProbe): CgroupWrite[] {
  if (!m) return [];
  const writes: CgroupWrite[] = [];
  const limit = m.limit ?? 0;
  let swap = m.swap ?? 0;
  const swapAccounting = probe.exists(MEMSW);
  // "memory unlimited, swap unsaid" means both unlimited, or memsw would cap the new limit.
  if (limit === -1 && swap === 0 && swapAccounting) swap = -1;
  if (swap !== 0 && !swapAccounting) {
    throw failedPrecondition(`cannot set a swap limit: ${MEMSW} is missing (the kernel has no swap accounting)`);
  }
  const limitWrite = { file: LIMIT, value: String(limit) };
  const swapWrite = { file: MEMSW, value: String(swap) };
  if (limit !== 0 && swap !== 0) {
    if (swap !== -1 && limit !== -1 && swap < limit) throw invalidArgument(`memory+swap limit (${swap}) must be at least the memory limit (${limit})`);
    const current = parseLimit(probe.read(LIMIT)) ?? Number.MAX_SAFE_INTEGER;
    writes.push(...(swap === -1 || current < swap ? [swapWrite, limitWrite] : [limitWrite, swapWrite]));
  } else {
    if (limit !== 0) writes.push(limitWrite);
    if (swap !== 0) writes.push(swapWrite);
  }
  if (m.reservation !== undefined && m.reservation !== 0) writes.push({ file: 'memory.soft_limit_in_bytes', value: String(m.reservation) });
  if (m.kernelTCP !== undefined && m.kernelTCP !== 0) writes.push({ file: 'memory.kmem.tcp.limit_in_bytes', value: String(m.kernelTCP) });
  if (m.swappiness !== undefined && m.swappiness !== -1) {
    if (!Number.isInteger(m.swappiness) || m.swappiness < 0 || m.swappiness > 100) {
      throw invalidArgument(`invalid memory swappiness ${m.swappiness}: must be between 0 and 100`);
    }
    writes.push({ file: 'memory.swappiness', value: String(m.swappiness) });
  }
  if (m.disableOOMKiller) writes.push({ file: 'memory.oom_control', value: '1' });
  return writes;
}

export async function memoryStats(dir: string): Promise<MemoryStats> {
  const read = (f: string) => readCgroupFile(join(dir, f));
  const [usage, maxUsage, limit, failcnt, stat, swUsage, swLimit] = await Promise.all([
    read('memory.usage_in_bytes'), read('memory.max_usage_in_bytes'), read(LIMIT), read('memory.failcnt'),
    read('memory.stat'), read('memory.memsw.usage_in_bytes'), read(MEMSW),
  ]);
  const stats: MemoryStats = { usage: parseCount(usage), maxUsage: parseCount(maxUsage), failcnt: parseCount(failcnt), stat: parseFlatKeyed(stat) };
  const lim = parseLimit(limit);
  if (lim !== undefined) stats.limit = lim;
  // memsw counts memory+swap; report swap alone, as v2 does.
  if (swUsage !== undefined) stats.swapUsage = Math.max(0, parseCount(swUsage) - stats.usage);
  const swLim = parseLimit(swLimit);
  if (swLim !== undefined) stats.swapLimit = swLim;
  return stats;
}

/** The kernel's count of OOM kills in this cgroup (memory.oom_control `oom_kill`, Linux 4.13+). */
export async function oomKills(dir: string): Promise<number> {
  return parseFlatKeyed(await readCgroupFile(join(dir, 'memory.oom_control')))['oom_kill'] ?? 0;
}
