/**
 * v1 freezer: writing FROZEN starts freezing; the state reads FREEZING until every task has
 * stopped, which can stall on a task in an uninterruptible sleep. Re-writing FROZEN nudges the
 * kernel to retry; if the group still is not frozen, it is thawed again so a failed pause never
 * leaves the container half-frozen.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { unavailable } from '../../../common/errors.js';
import { readCgroupFile, writeCgroupFile } from '../fs.js';

const STATE = 'freezer.state';

export async function freeze(dir: string, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; ; i++) {
    if (i % 50 === 0) await writeCgroupFile(join(dir, STATE), 'FROZEN');
    if ((await readCgroupFile(join(dir, STATE))) === 'FROZEN') return;
    if (Date.now() >= deadline) break;
    await sleep(i < 10 ? 1 : 10);
  }
  await thaw(dir);
  throw unavailable(`cgroup ${dir} did not freeze within ${timeoutMs} ms (a task may be in uninterruptible sleep)`);
}

export async function thaw(dir: string): Promise<void> {
  await writeCgroupFile(join(dir, STATE), 'THAWED');
}

export async function isFrozen(dir: string): Promise<boolean> {
  return (await readCgroupFile(join(dir, STATE))) === 'FROZEN';
}
