/**
 * The v2 manager against a real cgroup2 mount. On a pure v2 host that is /sys/fs/cgroup; on
 * this hybrid host it is /sys/fs/cgroup/unified, which offers no controllers besides (maybe)
 * hugetlb, so the tests exercise what any cgroup2 mount has: creation, joining, the freezer,
 * cgroup.kill, cpu.stat, the eBPF device program, and clear errors for missing controllers.
 * Enabling controllers in the mount's root is undone afterwards, so the host is left as found.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join as pjoin } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EngineError } from '../../../src/common/errors.js';
import { detectCgroupLayout, openCgroup, type CgroupLayout, type CgroupManager } from '../../../src/runtime/cgroups/index.js';
import { attachedDevicePrograms } from '../../../src/runtime/cgroups/v2/devices.js';
import { BUSYBOX, assertRemoved, cgroupDirs, cleanup, cpuTicks, join, notRoot, spawnChild, testPath, until, type Child } from './helpers.js';

const host = notRoot ? undefined : detectCgroupLayout();
const opts = { skip: notRoot || (host?.unified === undefined ? 'no cgroup2 mount on this host' : false) };
const layout: CgroupLayout | undefined = host && { ...host, version: 2 };
const read = (dir: string, file: string) => readFileSync(pjoin(dir, file), 'utf8').trim();

function setup(t: { after(fn: () => Promise<void>): void }, tag: string): { cg: CgroupManager; children: Child[]; dir: string } {
  const root = layout!.unified!;
  const subtreeBefore = read(root, 'cgroup.subtree_control').split(/\s+/).filter(Boolean);
  const cg = openCgroup(layout!, testPath(tag));
  const children: Child[] = [];
  t.after(async () => {
    await cleanup([cg], children);
    const added = read(root, 'cgroup.subtree_control').split(/\s+/).filter((c) => c && !subtreeBefore.includes(c));
    // Only undo on a hybrid host's controller-less mount; another test file may hold one here.
    if (host!.version === 1) for (const c of added) { try { writeFileSync(pjoin(root, 'cgroup.subtree_control'), `-${c}`); } catch { /* still in use */ } }
  });
  return { cg, children, dir: cgroupDirs(cg)[0]! };
}

test('v2: create, join, freeze via cgroup.freeze, thaw, stats, killAll via cgroup.kill, destroy', opts, async (t) => {
  const { cg, children, dir } = setup(t, 'v2life');
  assert.equal(cg.version, 2);
  await cg.create({});
  assert.deepEqual(cg.procsFiles(), [pjoin(dir, 'cgroup.procs')]);
  assert.deepEqual(cg.containerMounts(), [{ controllers: '', hostPath: dir }]);
  const child = spawnChild([BUSYBOX, 'sh', '-c', 'read x; while :; do :; done']);
  children.push(child);
  await join(cg, child.pid);
  child.go();
  assert.deepEqual(await cg.pids(), [child.pid]);
  await sleep(200);

  await cg.freeze();
  assert.equal(await cg.frozen(), true);
  assert.match(read(dir, 'cgroup.events'), /^frozen 1$/m);
  const frozenAt = cpuTicks(child.pid);
  await sleep(300);
  assert.equal(cpuTicks(child.pid), frozenAt, 'a frozen process does not run');
  await cg.thaw();
  assert.equal(await cg.frozen(), false);
  await until(() => cpuTicks(child.pid), (v) => v > frozenAt, 3000, 'the thawed process to run');

  assert.ok((await cg.stats()).cpu.usageTotal > 0, 'cpu.stat usage');
  await cg.killAll();
  assert.equal((await child.exit).signal, 'SIGKILL');
  await until(() => cg.pids(), (p) => p.length === 0, 3000, 'an empty cgroup');
  const dirs = cgroupDirs(cg);
  await cg.destroy();
  assertRemoved(dirs);
});

test('v2: killAll with another signal freezes, signals and thaws', opts, async (t) => {
  const { cg, children } = setup(t, 'v2term');
  await cg.create({});
  const child = spawnChild([BUSYBOX, 'sh', '-c', 'read x; sleep 30 & wait']);
  children.push(child);
  await join(cg, child.pid);
  child.go();
  await until(() => cg.pids(), (p) => p.length === 2, 3000, 'two processes');
  await cg.killAll('SIGTERM');
  assert.equal((await child.exit).signal, 'SIGTERM');
  assert.equal(await cg.frozen(), false);
});

test('v2: the eBPF device program confines the process and is replaced on update', opts, async (t) => {
  const { cg, children, dir } = setup(t, 'v2dev');
  const rules = [{ allow: false, access: 'rwm' }, { allow: true, type: 'c' as const, major: 1, minor: 3, access: 'rwm' }];
  await cg.create({ devices: rules });
  assert.equal(attachedDevicePrograms(dir).length, 1);
  await cg.update({ devices: [...rules, { allow: true, type: 'c', major: 1, minor: 9, access: 'r' }] });
  assert.equal(attachedDevicePrograms(dir).length, 1, 'the old program is detached');
  const child = spawnChild([BUSYBOX, 'sh', '-c',
    'read x; echo > /dev/null && echo null-ok; (head -c 1 /dev/zero > /dev/null) 2>/dev/null || echo zero-denied; ' +
    '(head -c 1 /dev/urandom > /dev/null) 2>/dev/null && echo urandom-read; (echo > /dev/urandom) 2>/dev/null || echo urandom-write-denied']);
  children.push(child);
  await join(cg, child.pid);
  child.go();
  assert.equal((await child.exit).code, 0);
  assert.equal(child.stdout(), 'null-ok\nzero-denied\nurandom-read\nurandom-write-denied\n');
});

test('v2: a limit whose controller is not enabled fails clearly and leaves nothing', opts, async (t) => {
  const { cg, dir } = setup(t, 'v2missing');
  const missing = ['pids', 'memory', 'cpu'].find((c) => !read(layout!.unified!, 'cgroup.controllers').split(' ').includes(c));
  if (missing === undefined) {
    // A full v2 host has every controller: check the positive case instead.
    await cg.create({ pids: { limit: 8 } });
    assert.equal(read(dir, 'pids.max'), '8');
    return;
  }
  const resources = { pids: { pids: { limit: 8 } }, memory: { memory: { limit: 64 << 20 } }, cpu: { cpu: { shares: 512 } } }[missing as 'pids'];
  await assert.rejects(cg.create(resources), (e: unknown) => e instanceof EngineError && e.kind === 'failed-precondition' && e.message.includes(dir));
  assertRemoved([dir]);
});

test('v2: hugetlb limits when the mount offers hugetlb', opts, async (t) => {
  const { cg, dir } = setup(t, 'v2huge');
  const offered = read(layout!.unified!, 'cgroup.controllers').split(' ').includes('hugetlb');
  await cg.create({});
  if (!offered) {
    assert.equal(read(layout!.unified!, 'cgroup.controllers').includes('hugetlb'), false, 'hugetlb not offered; nothing to check');
    return;
  }
  await cg.update({ hugepageLimits: [{ pageSize: '2MB', limit: 4 << 20 }] });
  assert.equal(read(dir, 'hugetlb.2MB.max'), String(4 << 20));
});

test('v2: a nested path is created level by level with controllers enabled on the way down', opts, async (t) => {
  const { cg: top } = setup(t, 'v2nest');
  const cg = openCgroup(layout!, `${top.path}/a/b`);
  t.after(() => cg.destroy());
  await cg.create({});
  const leaf = cgroupDirs(cg)[0]!;
  assert.deepEqual(await cg.pids(), []);
  assert.equal(read(leaf, 'cgroup.type'), 'domain');
  if (read(layout!.unified!, 'cgroup.controllers').split(' ').includes('hugetlb')) {
    for (const level of [cgroupDirs(top)[0]!, pjoin(cgroupDirs(top)[0]!, 'a')]) assert.match(read(level, 'cgroup.subtree_control'), /hugetlb/, level);
    assert.match(read(leaf, 'cgroup.controllers'), /hugetlb/);
  }
  // top's cleanup removes the whole tree and checks it is gone; cg.destroy() is idempotent.
});
