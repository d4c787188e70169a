/**
 * pids controller (same files on v1 and v2): pids.max caps the number of tasks; fork/clone
 * fails with EAGAIN past it. OCI gives -1 (or 0) for unlimited, which the kernel spells "max".
 */
import { join } from 'node:path';
import { readCgroupFile } from '../fs.js';
import { parseCount, parseLimit } from '../parse.js';
import type { PidsStats } from '../stats.js';
import type { CgroupWrite } from '../write.js';

export function pidsWrites(pids: { limit: number } | undefined): CgroupWrite[] {
  if (!pids) return [];
  return [{ file: 'pids.max', value: pids.limit > 0 ? String(pids.limit) : 'max' }];
}

export async function pidsStats(dir: string | undefined): Promise<PidsStats> {
  if (!dir) return { current: 0 };
  const [current, max] = await Promise.all([readCgroupFile(join(dir, 'pids.current')), readCgroupFile(join(dir, 'pids.max'))]);
  const stats: PidsStats = { current: parseCount(current) };
  const limit = parseLimit(max);
  if (limit !== undefined) stats.limit = limit;
  return stats;
}
