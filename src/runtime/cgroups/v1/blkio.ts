/**
 * v1 blkio controller. Proportional weight lives in blkio.weight under CFQ and in
 * blkio.bfq.weight under BFQ (CFQ is gone since Linux 5.0); whichever the kernel offers is
 * used. Throttle limits are one "major:minor value" write per device.
 */
import { join } from 'node:path';
import type { LinuxBlockIO } from '../../../oci/runtime-spec.js';
import { readCgroupFile } from '../fs.js';
import { parseBlkioV1 } from '../parse.js';
import type { BlkioEntry, BlkioStats } from '../stats.js';
import type { CgroupProbe, CgroupWrite } from '../write.js';

export function blkioWrites(io: LinuxBlockIO | undefined, probe: CgroupProbe): CgroupWrite[] {
  if (!io) return [];
  const writes: CgroupWrite[] = [];
  const bfq = !probe.exists('blkio.weight') && probe.exists('blkio.bfq.weight');
  const weightFile = bfq ? 'blkio.bfq.weight' : 'blkio.weight';
  if (io.weight) writes.push({ file: weightFile, value: String(io.weight) });
  if (io.leafWeight) writes.push({ file: 'blkio.leaf_weight', value: String(io.leafWeight) });
  for (const d of io.weightDevice ?? []) {
    if (d.weight) writes.push({ file: `${weightFile}_device`, value: `${d.major}:${d.minor} ${d.weight}` });
    if (d.leafWeight) writes.push({ file: 'blkio.leaf_weight_device', value: `${d.major}:${d.minor} ${d.leafWeight}` });
  }
  const throttles = [
    ['blkio.throttle.read_bps_device', io.throttleReadBpsDevice],
    ['blkio.throttle.write_bps_device', io.throttleWriteBpsDevice],
    ['blkio.throttle.read_iops_device', io.throttleReadIOPSDevice],
    ['blkio.throttle.write_iops_device', io.throttleWriteIOPSDevice],
  ] as const;
  for (const [file, devices] of throttles) {
    for (const d of devices ?? []) writes.push({ file, value: `${d.major}:${d.minor} ${d.rate}` });
  }
  return writes;
}

/**
 * I/O counters. CFQ's files, then BFQ's, then the throttle layer's (which counts every bio
 * whatever the scheduler): the first that has rows wins, as in runc.
 */
export async function blkioStats(dir: string | undefined): Promise<BlkioStats> {
  if (!dir) return { serviceBytes: [], serviced: [] };
  for (const prefix of ['blkio.', 'blkio.bfq.', 'blkio.throttle.']) {
    const [bytes, ios] = await Promise.all([
      readCgroupFile(join(dir, `${prefix}io_service_bytes_recursive`)),
      readCgroupFile(join(dir, `${prefix}io_serviced_recursive`)),
    ]);
    const serviceBytes: BlkioEntry[] = parseBlkioV1(bytes);
    if (serviceBytes.length > 0) return { serviceBytes, serviced: parseBlkioV1(ios) };
  }
  return { serviceBytes: [], serviced: [] };
}
