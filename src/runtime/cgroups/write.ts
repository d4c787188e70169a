/**
 * The plan/execute split for cgroup limits. Turning OCI `linux.resources` into cgroup files is
 * pure: each controller module maps resources to an ordered list of writes, given a read-only
 * probe of the cgroup (which files exist, what a value is now — the order of some writes depends
 * on it). The managers execute the list. The mapping is unit-tested without root or a kernel.
 */

/** One write of one value to one cgroup file. The file name carries the controller prefix. */
export interface CgroupWrite {
  file: string;
  value: string;
  /** Skip silently when the file does not exist (a feature the kernel lacks, asked as a no-op). */
  optional?: boolean;
  /**
   * On EINVAL, retry once after every other write: cpu.cfs_period_us may be refused until the
   * quota is lowered, because old quota / new period would exceed the parent's limit.
   */
  retryOnEinval?: boolean;
}

/** Read-only view of the cgroup being configured, by file name ("memory.limit_in_bytes"). */
export interface CgroupProbe {
  exists(file: string): boolean;
  /** The file's trimmed content, or undefined when it cannot be read. */
  read(file: string): string | undefined;
}

/** A probe over a fixed set of files, for tests and for planning without a cgroup. */
export function fakeProbe(files: Record<string, string>): CgroupProbe {
  return {
    exists: (file) => Object.hasOwn(files, file),
    read: (file) => (Object.hasOwn(files, file) ? files[file]!.trim() : undefined),
  };
}

/** The controller a file belongs to: its name up to the first dot ("cpuset.cpus" → "cpuset"). */
export function controllerOf(file: string): string {
  const dot = file.indexOf('.');
  return dot < 0 ? file : file.slice(0, dot);
}

/** OCI's "unlimited" (-1) as the cgroup keyword, other values verbatim. */
export function limitValue(n: number, unlimited = 'max'): string {
  return n < 0 ? unlimited : String(n);
}
