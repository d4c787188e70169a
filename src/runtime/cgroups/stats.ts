/**
 * Resource usage of one cgroup, the same shape on v1 and v2 so `docker stats` and the shim's
 * stats call need not know the host's cgroup version. Times are nanoseconds, sizes bytes. A
 * figure the kernel does not expose on a version (per-CPU usage on v2) is empty or zero.
 */

export interface CpuThrottling {
  /** CFS enforcement periods elapsed. */
  periods: number;
  /** Periods in which the group ran out of quota. */
  throttledPeriods: number;
  /** Total time spent throttled (ns). */
  throttledTime: number;
}

export interface CpuStats {
  /** Total CPU time consumed (ns). */
  usageTotal: number;
  /** Per-CPU consumption (ns); empty on v2, which does not report it. */
  usagePerCpu: number[];
  usageUser: number;
  usageSystem: number;
  throttling: CpuThrottling;
}

export interface MemoryStats {
  usage: number;
  /** Peak usage; 0 when the kernel does not track it (v2 before memory.peak, 5.19). */
  maxUsage: number;
  /** The limit, or undefined when unlimited. */
  limit?: number;
  /** Times usage hit the limit (v1 memory.failcnt, v2 memory.events `max`). */
  failcnt: number;
  swapUsage?: number;
  swapLimit?: number;
  /** memory.stat, verbatim keys. */
  stat: Record<string, number>;
}

export interface PidsStats {
  current: number;
  /** pids.max, or undefined when unlimited. */
  limit?: number;
}

/** One row of Docker's blkio_stats: v1 ops are "Read", "Write", …; v2 ops "read", "write", "discard". */
export interface BlkioEntry {
  major: number;
  minor: number;
  op: string;
  value: number;
}

export interface BlkioStats {
  serviceBytes: BlkioEntry[];
  serviced: BlkioEntry[];
}

export interface CgroupStats {
  cpu: CpuStats;
  memory: MemoryStats;
  pids: PidsStats;
  blkio: BlkioStats;
}

export function emptyStats(): CgroupStats {
  return {
    cpu: { usageTotal: 0, usagePerCpu: [], usageUser: 0, usageSystem: 0, throttling: { periods: 0, throttledPeriods: 0, throttledTime: 0 } },
    memory: { usage: 0, maxUsage: 0, failcnt: 0, stat: {} },
    pids: { current: 0 },
    blkio: { serviceBytes: [], serviced: [] },
  };
}
