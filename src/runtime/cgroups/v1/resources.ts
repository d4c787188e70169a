/**
 * OCI `linux.resources` → the ordered v1 write plan. Controllers go in runc's order (cpuset and
 * devices first, so a container is confined before any other limit), each controller's files in
 * the order its module decides. Small controllers with a single file (net_cls, net_prio, rdma)
 * are mapped here rather than in files of their own.
 */
import { invalidArgument } from '../../../common/errors.js';
import type { LinuxResources } from '../../../oci/runtime-spec.js';
import type { CgroupProbe, CgroupWrite } from '../write.js';
import { blkioWrites } from './blkio.js';
import { cpuWrites } from './cpu.js';
import { cpusetWrites } from './cpuset.js';
import { devicesWrites } from './devices.js';
import { hugetlbWrites } from './hugetlb.js';
import { memoryWrites } from './memory.js';
import { pidsWrites } from './pids.js';

/** rdma.max lines ("mlx4_0 hca_handle=2 hca_object=2000"), the same file on v1 and v2. */
export function rdmaWrites(rdma: LinuxResources['rdma']): CgroupWrite[] {
  return Object.entries(rdma ?? {}).map(([dev, l]) => {
    if (!/^[\w.-]+$/.test(dev)) throw invalidArgument(`invalid rdma device name ${JSON.stringify(dev)}`);
    const handles = l.hcaHandles === undefined ? 'max' : String(l.hcaHandles);
    const objects = l.hcaObjects === undefined ? 'max' : String(l.hcaObjects);
    return { file: 'rdma.max', value: `${dev} hca_handle=${handles} hca_object=${objects}` };
  });
}

function networkWrites(net: LinuxResources['network']): CgroupWrite[] {
  const writes: CgroupWrite[] = [];
  if (net?.classID !== undefined) writes.push({ file: 'net_cls.classid', value: String(net.classID) });
  for (const p of net?.priorities ?? []) writes.push({ file: 'net_prio.ifpriomap', value: `${p.name} ${p.priority}` });
  return writes;
}

export function v1Writes(r: LinuxResources, probe: CgroupProbe): CgroupWrite[] {
  if (r.unified && Object.keys(r.unified).length > 0) {
    throw invalidArgument('linux.resources.unified requires cgroup v2, but this host uses cgroup v1');
  }
  return [
    ...cpusetWrites(r.cpu),
    ...devicesWrites(r.devices),
    ...memoryWrites(r.memory, probe),
    ...cpuWrites(r.cpu),
    ...pidsWrites(r.pids),
    ...blkioWrites(r.blockIO, probe),
    ...hugetlbWrites(r.hugepageLimits, 1),
    ...networkWrites(r.network),
    ...rdmaWrites(r.rdma),
  ];
}
