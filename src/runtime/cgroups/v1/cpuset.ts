/**
 * v1 cpuset controller. A new v1 cpuset cgroup starts with empty cpuset.cpus and cpuset.mems
 * (unless the parent sets cgroup.clone_children), and the kernel refuses to attach a task to it
 * until both are set; so every level created is first given its parent's values, as runc does.
 */
import { mkdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { LinuxCPU } from '../../../oci/runtime-spec.js';
import { readCgroupFile, writeCgroupFile } from '../fs.js';
import type { CgroupWrite } from '../write.js';

export function cpusetWrites(cpu: LinuxCPU | undefined): CgroupWrite[] {
  const writes: CgroupWrite[] = [];
  if (cpu?.cpus) writes.push({ file: 'cpuset.cpus', value: cpu.cpus });
  if (cpu?.mems) writes.push({ file: 'cpuset.mems', value: cpu.mems });
  return writes;
}

/**
 * Creates `dir` under the cpuset `mountpoint` level by level, copying each empty level's
 * cpus and mems from its parent. Returns the directories it created, outermost first.
 */
export async function mkdirCpuset(mountpoint: string, dir: string): Promise<string[]> {
  const rel = posix.relative(mountpoint, dir);
  const created: string[] = [];
  let parent = mountpoint;
  for (const segment of rel.split('/').filter((s) => s !== '')) {
    const current = join(parent, segment);
    if ((mkdirSync(current, { recursive: true })) !== undefined) created.push(current);
    for (const file of ['cpuset.cpus', 'cpuset.mems']) {
      if ((await readCgroupFile(join(current, file))) === '') {
        const inherited = (await readCgroupFile(join(parent, file))) ?? '';
        if (inherited !== '') await writeCgroupFile(join(current, file), inherited);
      }
    }
    parent = current;
  }
  return created;
}
