/**
 * OCI `linux.resources` → the ordered v2 write plan (device rules are not files on v2; see
 * devices.ts). `unified` entries are written last and verbatim, so they override what the
 * mapped fields set, as the runtime spec intends.
 */
import { invalidArgument } from '../../../common/errors.js';
import type { LinuxResources } from '../../../oci/runtime-spec.js';
import { hugetlbWrites } from '../v1/hugetlb.js';
import { pidsWrites } from '../v1/pids.js';
import { rdmaWrites } from '../v1/resources.js';
import type { CgroupProbe, CgroupWrite } from '../write.js';
import { cpuWrites } from './cpu.js';
import { ioWrites } from './io.js';
import { memoryWrites } from './memory.js';

function cpusetWrites(cpu: LinuxResources['cpu']): CgroupWrite[] {
  const writes: CgroupWrite[] = [];
  if (cpu?.cpus) writes.push({ file: 'cpuset.cpus', value: cpu.cpus });
  if (cpu?.mems) writes.push({ file: 'cpuset.mems', value: cpu.mems });
  return writes;
}

function unifiedWrites(unified: Record<string, string> | undefined): CgroupWrite[] {
  return Object.entries(unified ?? {}).map(([file, value]) => {
    if (!/^[a-z0-9_]+\.[a-z0-9_.]+$/i.test(file) || file.includes('..')) {
      throw invalidArgument(`invalid linux.resources.unified key ${JSON.stringify(file)}: must be a cgroup file name`);
    }
    return { file, value };
  });
}

export function v2Writes(r: LinuxResources, probe: CgroupProbe): CgroupWrite[] {
  if (r.network && (r.network.classID !== undefined || (r.network.priorities ?? []).length > 0)) {
    throw invalidArgument('network class and priority limits (net_cls, net_prio) do not exist on cgroup v2');
  }
  return [
    ...cpusetWrites(r.cpu),
    ...memoryWrites(r.memory),
    ...cpuWrites(r.cpu),
    ...pidsWrites(r.pids),
    ...ioWrites(r.blockIO, probe),
    ...hugetlbWrites(r.hugepageLimits, 2),
    ...rdmaWrites(r.rdma),
    ...unifiedWrites(r.unified),
  ];
}
