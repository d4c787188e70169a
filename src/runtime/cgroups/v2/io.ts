/**
 * v2 io controller. The BFQ scheduler's io.bfq.weight takes v1's 10–1000 weights as they are
 * (and per-device weights); otherwise io.weight's 1–10000 scale is used, converted linearly as
 * runc does. Throttles go to io.max as "major:minor rbps=N" and friends, one write per limit.
 */
import { join } from 'node:path';
import type { LinuxBlockIO } from '../../../oci/runtime-spec.js';
import { readCgroupFile } from '../fs.js';
import { parseIoStat } from '../parse.js';
import type { BlkioStats } from '../stats.js';
import type { CgroupProbe, CgroupWrite } from '../write.js';

/** blkio weight (10–1000) → io.weight (1–10000): 10 → 1, 500 → 4950, 1000 → 10000. */
export function blkioWeightToIoWeight(weight: number): number {
  if (weight === 0) return 0;
  return 1 + Math.floor(((weight - 10) * 9999) / 990);
}

export function ioWrites(io: LinuxBlockIO | undefined, probe: CgroupProbe): CgroupWrite[] {
  if (!io) return [];
  const writes: CgroupWrite[] = [];
  const bfq = probe.exists('io.bfq.weight');
  if (io.weight) {
    writes.push(bfq ? { file: 'io.bfq.weight', value: String(io.weight) } : { file: 'io.weight', value: String(blkioWeightToIoWeight(io.weight)) });
  }
  // Only BFQ knows per-device weights; without it they cannot be honoured, as in runc.
  if (bfq) {
    for (const d of io.weightDevice ?? []) if (d.weight) writes.push({ file: 'io.bfq.weight', value: `${d.major}:${d.minor} ${d.weight}` });
  }
  const throttles = [
    ['rbps', io.throttleReadBpsDevice], ['wbps', io.throttleWriteBpsDevice],
    ['riops', io.throttleReadIOPSDevice], ['wiops', io.throttleWriteIOPSDevice],
  ] as const;
  for (const [key, devices] of throttles) {
    for (const d of devices ?? []) writes.push({ file: 'io.max', value: `${d.major}:${d.minor} ${key}=${d.rate === 0 ? 'max' : d.rate}` });
  }
  return writes;
}

export async function ioStats(dir: string): Promise<BlkioStats> {
  return parseIoStat(await readCgroupFile(join(dir, 'io.stat')));
}
