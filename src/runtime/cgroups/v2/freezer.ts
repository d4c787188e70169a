/**
 * v2 freezer (Linux 5.2+): cgroup.freeze requests the state, cgroup.events reports it with
 * "frozen 1" once every task has stopped. Unlike v1 the freeze is asynchronous and completes
 * on its own, so freezing only waits (and thaws again on timeout so a failed pause never
 * leaves the container half-stopped).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { notImplemented, unavailable } from '../../../common/errors.js';
import { readCgroupFile, waitFor, writeCgroupFile } from '../fs.js';
import { parseFlatKeyed } from '../parse.js';

function requireFreezer(dir: string): void {
  if (!existsSync(join(dir, 'cgroup.freeze'))) {
    if (!existsSync(dir)) throw unavailable(`cgroup ${dir} does not exist`);
    throw notImplemented('this kernel has no cgroup v2 freezer (cgroup.freeze needs Linux 5.2)');
  }
}

async function reportsFrozen(dir: string): Promise<boolean> {
  return parseFlatKeyed(await readCgroupFile(join(dir, 'cgroup.events')))['frozen'] === 1;
}

export async function freeze(dir: string, timeoutMs = 2000): Promise<void> {
  requireFreezer(dir);
  await writeCgroupFile(join(dir, 'cgroup.freeze'), '1');
  if (await waitFor(() => reportsFrozen(dir), timeoutMs)) return;
  await thaw(dir);
  throw unavailable(`cgroup ${dir} did not freeze within ${timeoutMs} ms`);
}

export async function thaw(dir: string): Promise<void> {
  requireFreezer(dir);
  await writeCgroupFile(join(dir, 'cgroup.freeze'), '0');
}

export async function isFrozen(dir: string): Promise<boolean> {
  if ((await readCgroupFile(join(dir, 'cgroup.freeze'))) !== '1') return false;
  return reportsFrozen(dir);
}
