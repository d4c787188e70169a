/**
 * `docker stats` documents from the cgroup counters: Docker's shape (cpu_stats with the host's
 * system_cpu_usage so clients can compute a percentage, precpu_stats from the previous sample,
 * memory_stats, pids_stats, blkio_stats, networks from the container's /proc/<pid>/net/dev).
 */
import { readFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import type { CgroupStats } from '../../runtime/cgroups/index.js';

/** Host CPU time in nanoseconds (sum of /proc/stat's first line, USER_HZ = 100). */
export async function systemCpuUsage(): Promise<number> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n', 1)[0]!;
  const jiffies = line.split(/\s+/).slice(1, 8).reduce((a, b) => a + Number(b), 0);
  return jiffies * 1e7;
}

export async function netDev(pid: number): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  if (!pid) return out;
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/net/dev`, 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n').slice(2)) {
    const m = /^\s*([^:]+):\s*(.*)$/.exec(line);
    if (!m || m[1] === 'lo') continue;
    const f = m[2]!.trim().split(/\s+/).map(Number);
    out[m[1]!] = {
      rx_bytes: f[0]!, rx_packets: f[1]!, rx_errors: f[2]!, rx_dropped: f[3]!,
      tx_bytes: f[8]!, tx_packets: f[9]!, tx_errors: f[10]!, tx_dropped: f[11]!,
    };
  }
  return out;
}

export interface StatsSample { read: string; cpu: Record<string, unknown> }

export function cpuSection(s: CgroupStats, system: number): Record<string, unknown> {
  return {
    cpu_usage: {
      total_usage: s.cpu.usageTotal,
      percpu_usage: s.cpu.usagePerCpu.length ? s.cpu.usagePerCpu : undefined,
      usage_in_kernelmode: s.cpu.usageSystem,
      usage_in_usermode: s.cpu.usageUser,
    },
    system_cpu_usage: system,
    online_cpus: cpus().length,
    throttling_data: {
      periods: s.cpu.throttling.periods,
      throttled_periods: s.cpu.throttling.throttledPeriods,
      throttled_time: s.cpu.throttling.throttledTime,
    },
  };
}

export function statsDocument(
  id: string, name: string, s: CgroupStats, cpu: Record<string, unknown>, pre: StatsSample | undefined,
  networks: Record<string, Record<string, number>>,
): Record<string, unknown> {
  const blk = (list: CgroupStats['blkio']['serviceBytes']) => list.map((e) => ({ major: e.major, minor: e.minor, op: e.op, value: e.value }));
  return {
    read: new Date().toISOString(),
    preread: pre?.read ?? '0001-01-01T00:00:00Z',
    pids_stats: { current: s.pids.current, ...(s.pids.limit !== undefined ? { limit: s.pids.limit } : {}) },
    blkio_stats: {
      io_service_bytes_recursive: blk(s.blkio.serviceBytes),
      io_serviced_recursive: blk(s.blkio.serviced),
      io_queue_recursive: null, io_service_time_recursive: null, io_wait_time_recursive: null,
      io_merged_recursive: null, io_time_recursive: null, sectors_recursive: null,
    },
    num_procs: 0,
    storage_stats: {},
    cpu_stats: cpu,
    precpu_stats: pre?.cpu ?? { cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 }, throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 } },
    memory_stats: {
      usage: s.memory.usage,
      max_usage: s.memory.maxUsage,
      stats: s.memory.stat,
      failcnt: s.memory.failcnt,
      limit: s.memory.limit ?? totalmem(),
    },
    name,
    id,
    networks,
  };
}
