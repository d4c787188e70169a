/**
 * The v1 manager against this host's v1 hierarchies (run as root). Each test makes its own
 * cgroup under a unique /skiff-test-* path and removes it, and its processes, even on failure.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join as pjoin } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EngineError } from '../../../src/common/errors.js';
import { detectCgroupLayout, openCgroup, type CgroupManager } from '../../../src/runtime/cgroups/index.js';
import { BUSYBOX, assertRemoved, cgroupDirs, cleanup, cpuTicks, join, notRoot, spawnChild, testPath, until, type Child } from './helpers.js';

const layout = notRoot ? undefined : detectCgroupLayout();
const opts = { skip: notRoot || (layout?.version !== 1 ? 'host is not cgroup v1' : false) };
const read = (dir: string, file: string) => readFileSync(pjoin(dir, file), 'utf8').trim();

function setup(t: { after(fn: () => Promise<void>): void }, tag: string): { cg: CgroupManager; children: Child[]; dir(c: string): string } {
  const cg = openCgroup(layout!, testPath(tag));
  const children: Child[] = [];
  t.after(() => cleanup([cg], children));
  const dir = (c: string) => pjoin(layout!.v1.get(c)!, cg.path);
  return { cg, children, dir };
}

test('v1: limits land in the files, update changes them, destroy removes every directory', opts, async (t) => {
  const { cg, dir } = setup(t, 'limits');
  assert.equal(cg.version, 1);
  await cg.create({
    memory: { limit: 64 << 20, swap: 64 << 20, reservation: 32 << 20, swappiness: 0 },
    cpu: { shares: 512, quota: 50000, period: 100000, cpus: '0', mems: '0' },
    pids: { limit: 16 },
    blockIO: { weight: 300 },
    devices: [{ allow: false, access: 'rwm' }, { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' }],
  });
  assert.equal(cg.procsFiles().length, new Set([...layout!.v1.values()]).size + (layout!.unified ? 1 : 0));
  assert.equal(read(dir('memory'), 'memory.limit_in_bytes'), String(64 << 20));
  assert.equal(read(dir('memory'), 'memory.memsw.limit_in_bytes'), String(64 << 20));
  assert.equal(read(dir('memory'), 'memory.soft_limit_in_bytes'), String(32 << 20));
  assert.equal(read(dir('cpu'), 'cpu.shares'), '512');
  assert.equal(read(dir('cpu'), 'cpu.cfs_quota_us'), '50000');
  assert.equal(read(dir('cpuset'), 'cpuset.cpus'), '0');
  assert.equal(read(dir('pids'), 'pids.max'), '16');
  assert.equal(read(dir('devices'), 'devices.list'), 'c 1:3 rwm');
  const blkio = dir('blkio');
  const weightFile = existsSync(pjoin(blkio, 'blkio.weight')) ? 'blkio.weight' : 'blkio.bfq.weight';
  assert.match(read(blkio, weightFile), /300/);

  // Lowering memory writes the limit before memsw; raising the other way round.
  await cg.update({ memory: { limit: 48 << 20, swap: 48 << 20 }, pids: { limit: -1 }, cpu: { quota: 20000 } });
  assert.equal(read(dir('memory'), 'memory.limit_in_bytes'), String(48 << 20));
  assert.equal(read(dir('pids'), 'pids.max'), 'max');
  assert.equal(read(dir('cpu'), 'cpu.cfs_quota_us'), '20000');
  await cg.update({ memory: { limit: 256 << 20, swap: 512 << 20 } });
  assert.equal(read(dir('memory'), 'memory.limit_in_bytes'), String(256 << 20));
  assert.equal(read(dir('memory'), 'memory.memsw.limit_in_bytes'), String(512 << 20));

  const dirs = cgroupDirs(cg);
  await cg.destroy();
  assertRemoved(dirs);
  await cg.destroy(); // idempotent
});

test('v1: a kernel refusal names the file and value, and a failed create leaves nothing', opts, async (t) => {
  const { cg } = setup(t, 'einval');
  await assert.rejects(cg.create({ cpu: { quota: 500, period: 100000 } }), (e: unknown) =>
    e instanceof EngineError && e.kind === 'invalid-argument' && e.message.includes('cpu.cfs_quota_us') && e.message.includes('"500"'));
  assertRemoved(cgroupDirs(cg));
  // Joining an existing cgroup: a failure must not remove what was there before.
  await cg.create({});
  await assert.rejects(cg.create({ cpu: { quota: 500 } }));
  for (const d of cgroupDirs(cg)) assert.ok(existsSync(d), `${d} was removed`);
});

test('v1: a joined process is listed, frozen, thawed and accounted', opts, async (t) => {
  const { cg, children, dir } = setup(t, 'freeze');
  await cg.create({});
  // Spin, after growing the shell's heap so memory is charged to the new cgroup.
  const child = spawnChild([BUSYBOX, 'sh', '-c', 'read x; s=; i=0; while [ $i -lt 3000 ]; do s="$s.................................."; i=$((i+1)); done; while :; do :; done']);
  children.push(child);
  await join(cg, child.pid);
  child.go();
  assert.deepEqual(await cg.pids(), [child.pid]);
  await sleep(300);

  await cg.freeze();
  assert.equal(await cg.frozen(), true);
  assert.equal(read(dir('freezer'), 'freezer.state'), 'FROZEN');
  const frozenAt = cpuTicks(child.pid);
  await sleep(300);
  assert.equal(cpuTicks(child.pid), frozenAt, 'a frozen process does not run');
  await cg.thaw();
  assert.equal(await cg.frozen(), false);
  await until(() => cpuTicks(child.pid), (v) => v > frozenAt, 3000, 'the thawed process to run');

  const stats = await cg.stats();
  assert.ok(stats.cpu.usageTotal > 0, 'cpu usage');
  assert.ok(stats.cpu.usagePerCpu.length > 0, 'per-cpu usage');
  assert.ok(stats.memory.usage > 0, 'memory usage');
  assert.equal(stats.pids.current, 1);
});

test('v1: a process allocating past 32 MiB is OOM-killed and counted', opts, async (t) => {
  const { cg, children } = setup(t, 'oom');
  await cg.create({ memory: { limit: 32 << 20, swap: 32 << 20 } });
  assert.equal(await cg.oomKillCount(), 0);
  const script = "process.stdin.once('data', () => { const a = []; for (;;) a.push(Buffer.alloc(1 << 20, 1)); })";
  const child = spawnChild([process.execPath, '-e', script]);
  children.push(child);
  await join(cg, child.pid);
  child.go();
  const result = await Promise.race([child.exit, sleep(20000).then(() => assert.fail('not killed within 20 s'))]);
  assert.equal(result.signal, 'SIGKILL');
  assert.ok((await cg.oomKillCount()) >= 1, 'oom_kill counted');
  // With memsw = limit the memsw counter is hit first, so memory.failcnt may stay 0; usage peaked at the limit.
  assert.ok((await cg.stats()).memory.maxUsage >= (30 << 20), 'peak usage near the limit');
});

test('v1: pids.max=8 stops a fork loop', opts, async (t) => {
  const { cg, children, dir } = setup(t, 'pids');
  await cg.create({ pids: { limit: 8 } });
  const child = spawnChild([BUSYBOX, 'sh', '-c', 'read x; i=0; while [ $i -lt 20 ]; do sleep 30 & i=$((i+1)); done; echo spawned-all; wait']);
  children.push(child);
  await join(cg, child.pid);
  child.go();
  await until(() => child.stderr(), (s) => /fork/i.test(s), 5000, 'a fork failure');
  assert.match(child.stderr(), /Resource temporarily unavailable|can't fork/i);
  assert.ok((await cg.pids()).length <= 8);
  assert.ok(Number(read(dir('pids'), 'pids.current')) <= 8);
  assert.match(read(dir('pids'), 'pids.events'), /max [1-9]/);
});

test('v1: killAll signals every process, children included', opts, async (t) => {
  const { cg, children } = setup(t, 'kill');
  await cg.create({});
  const child = spawnChild([BUSYBOX, 'sh', '-c', 'read x; sleep 30 & sleep 30 & sleep 30 & wait']);
  children.push(child);
  await join(cg, child.pid);
  child.go();
  await until(() => cg.pids(), (p) => p.length === 4, 3000, 'four processes');
  await cg.killAll();
  assert.equal((await child.exit).signal, 'SIGKILL');
  await until(() => cg.pids(), (p) => p.length === 0, 3000, 'an empty cgroup');
});

test('v1: device rules confine the process', opts, async (t) => {
  const { cg, children } = setup(t, 'devices');
  await cg.create({ devices: [{ allow: false, access: 'rwm' }, { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' }] });
  const child = spawnChild([BUSYBOX, 'sh', '-c', 'read x; echo > /dev/null && echo null-ok; (head -c 1 /dev/zero > /dev/null) 2>/dev/null || echo zero-denied']);
  children.push(child);
  await join(cg, child.pid);
  child.go();
  assert.equal((await child.exit).code, 0);
  assert.equal(child.stdout(), 'null-ok\nzero-denied\n');
});

test('v1: nested paths inherit cpusets at every level; relative paths sit under our own cgroup', opts, async (t) => {
  const top = testPath('nested');
  const cg = openCgroup(layout!, `${top}/inner/c`);
  const rel = openCgroup(layout!, testPath('rel').slice(1));
  const topCg = openCgroup(layout!, top);
  const children: Child[] = [];
  t.after(() => cleanup([cg, rel, topCg], children));
  await cg.create({});
  const cpuset = layout!.v1.get('cpuset')!;
  const rootCpus = read(cpuset, 'cpuset.cpus');
  for (const p of [top, `${top}/inner`, `${top}/inner/c`]) assert.equal(read(pjoin(cpuset, p), 'cpuset.cpus'), rootCpus, p);
  const child = spawnChild(['sleep', '30']);
  children.push(child);
  await join(cg, child.pid);
  assert.deepEqual(await cg.pids(), [child.pid]);

  await rel.create({});
  const ownMemory = layout!.self.get('memory')!;
  const memProcs = rel.procsFiles().find((f) => f.startsWith(layout!.v1.get('memory')! + '/'))!;
  assert.equal(memProcs, pjoin(layout!.v1.get('memory')!, ownMemory, rel.path, 'cgroup.procs'));
  assert.ok(existsSync(memProcs));
});

test('v1: containerMounts has one entry per hierarchy', opts, async () => {
  const cg = openCgroup(layout!, '/skiff/abc');
  const mounts = cg.containerMounts();
  assert.ok(mounts.some((m) => m.controllers === 'memory' && m.hostPath.endsWith('/memory/skiff/abc')));
  assert.ok(mounts.some((m) => m.controllers === 'systemd'));
  assert.ok(!mounts.some((m) => m.controllers === ''), 'the hybrid cgroup2 mount is not a v1 hierarchy');
});
