/** Cgroup limits bite: memory (OOM kill reported), pids (fork bomb stops), cpu and freezer state. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeBundle, cgroupDirs } from '../../helpers/runc.js';

async function waitStopped(b: ReturnType<typeof makeBundle>, id: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (JSON.parse(b.runc(['state', id]).stdout).status !== 'stopped') {
    if (Date.now() > end) throw new Error(`${id} did not stop`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a process past its memory limit is OOM-killed and reported so', async (t) => {
  const b = makeBundle((s) => {
    // Holds ~200 MB in a shell variable; the limit is 32 MiB without swap.
    s.process!.args = ['sh', '-c', 'x=$(head -c 200000000 /dev/zero | tr "\\0" a); echo survived ${#x}'];
    s.linux!.resources = { ...s.linux!.resources, memory: { limit: 32 * 1024 * 1024, swap: 32 * 1024 * 1024 } };
  });
  t.after(() => b.cleanup());
  assert.equal(b.runc(['run', '-d', 'oom']).status, 0);
  const mem = cgroupDirs(b.cgroupParent).find((d) => d.includes('/memory/'))!;
  assert.equal(readFileSync(join(mem, 'c/memory.limit_in_bytes'), 'utf8').trim(), String(32 * 1024 * 1024));
  await waitStopped(b, 'oom');
  const ev = JSON.parse(b.runc(['events', '--stats', 'oom']).stdout);
  assert.equal(ev.type, 'stats');
  assert.ok(ev.data.memory.oomKills >= 1, `oom kills reported: ${JSON.stringify(ev.data.memory)}`);
  assert.equal(b.runc(['delete', 'oom']).status, 0);
  assert.equal(existsSync(join(mem, 'c')), false);
});

test('a fork bomb stops at pids.max', async (t) => {
  const b = makeBundle((s) => {
    // The bomb's shell dies when fork fails; the container's init outlives it without forking.
    s.process!.args = ['sh', '-c', 'sh -c "while true; do sleep 30 & done" 2>/dev/null; exec sleep 1000'];
    s.linux!.resources = { ...s.linux!.resources, pids: { limit: 10 } };
  });
  t.after(() => b.cleanup());
  assert.equal(b.runc(['run', '-d', 'pids']).status, 0);
  const pidsDir = join(cgroupDirs(b.cgroupParent).find((d) => d.includes('/pids/'))!, 'c');
  const end = Date.now() + 10_000;
  const refused = () => Number(readFileSync(join(pidsDir, 'pids.events'), 'utf8').trim().split(' ')[1]);
  while (refused() === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(readFileSync(join(pidsDir, 'pids.max'), 'utf8').trim(), '10');
  assert.ok(refused() > 0, 'forks were refused');
  const current = Number(readFileSync(join(pidsDir, 'pids.current'), 'utf8'));
  assert.ok(current <= 10 && current >= 8, `the bomb is held at the limit (${current} tasks)`);
  assert.equal(JSON.parse(b.runc(['state', 'pids']).stdout).status, 'running');
  const del = b.runc(['delete', '--force', 'pids']);
  assert.equal(del.status, 0, del.stderr);
  assert.equal(existsSync(pidsDir), false);
});

test('cpu limits are applied and visible in the container', (t) => {
  const b = makeBundle((s) => {
    s.process!.args = ['sh', '-c', 'cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.shares'];
    s.linux!.resources = { ...s.linux!.resources, cpu: { quota: 50000, period: 100000, shares: 512 } };
  });
  t.after(() => b.cleanup());
  const r = b.runc(['run', 'cpu']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '50000\n512\n');
});
