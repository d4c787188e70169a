import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineError } from '../../common/errors.js';
import { parseCgroupLayout, parseProcCgroup, v1Hierarchies } from './layout.js';

// This host's layout: v1 controllers each in their own hierarchy, cgroup2 without controllers.
const HYBRID = `\
23 1 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:10 - cgroup cgroup rw,cpu,cpuacct
34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset,clone_children
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,release_agent=/lib/systemd/systemd-cgroups-agent,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate
`;

const PURE_V2 = `\
25 23 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
`;

test('hybrid host: v1 with controllers per mountpoint and the cgroup2 mount kept', () => {
  const l = parseCgroupLayout(HYBRID, '4:memory:/user.slice\n3:cpu,cpuacct:/\n0::/init.scope\n');
  assert.equal(l.version, 1);
  assert.equal(l.v1.get('cpu'), '/sys/fs/cgroup/cpu,cpuacct');
  assert.equal(l.v1.get('cpuacct'), '/sys/fs/cgroup/cpu,cpuacct');
  assert.equal(l.v1.get('cpuset'), '/sys/fs/cgroup/cpuset');
  assert.equal(l.v1.get('name=systemd'), '/sys/fs/cgroup/systemd');
  assert.equal(l.v1.has('clone_children'), false);
  assert.equal(l.v1.has('xattr'), false);
  assert.equal(l.unified, '/sys/fs/cgroup/unified');
  assert.equal(l.self.get('memory'), '/user.slice');
  assert.equal(l.self.get('cpuacct'), '/');
  assert.equal(l.self.get(''), '/init.scope');
  const h = v1Hierarchies(l).find((x) => x.mountpoint === '/sys/fs/cgroup/cpu,cpuacct');
  assert.deepEqual(h?.controllers, ['cpu', 'cpuacct']);
});

test('pure v2 host', () => {
  const l = parseCgroupLayout(PURE_V2, '0::/user.slice/session-1.scope\n');
  assert.equal(l.version, 2);
  assert.equal(l.unified, '/sys/fs/cgroup');
  assert.equal(l.v1.size, 0);
  assert.equal(l.roots.get('/sys/fs/cgroup'), '/');
});

test('only a named v1 hierarchy plus cgroup2 is v2', () => {
  const l = parseCgroupLayout(PURE_V2 + '40 31 0:37 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,name=systemd\n');
  assert.equal(l.version, 2);
});

test('mount roots, escapes and the preferred mount of a twice-mounted hierarchy', () => {
  const text = `\
50 1 0:32 /docker/abc /mnt/my\\040cg rw - cgroup cgroup rw,memory
51 1 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory
52 1 0:38 /ns /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw
`;
  const l = parseCgroupLayout(text);
  assert.equal(l.v1.get('memory'), '/sys/fs/cgroup/memory');
  assert.equal(l.roots.get('/sys/fs/cgroup/memory'), '/');
  assert.equal(l.roots.get('/sys/fs/cgroup/unified'), '/ns');
  const only = parseCgroupLayout('50 1 0:32 /docker/abc /mnt/my\\040cg rw - cgroup cgroup rw,memory\n');
  assert.equal(only.v1.get('memory'), '/mnt/my cg');
  assert.equal(only.roots.get('/mnt/my cg'), '/docker/abc');
});

test('no cgroup mount at all is an unavailable error', () => {
  assert.throws(() => parseCgroupLayout('23 1 0:21 / /sys rw - sysfs sysfs rw\n'), (e: unknown) => e instanceof EngineError && e.kind === 'unavailable');
});

test('parseProcCgroup splits co-mounted controllers', () => {
  const m = parseProcCgroup('12:cpu,cpuacct:/a\n1:name=systemd:/b\n0::/c\n\n');
  assert.equal(m.get('cpu'), '/a');
  assert.equal(m.get('cpuacct'), '/a');
  assert.equal(m.get('name=systemd'), '/b');
  assert.equal(m.get(''), '/c');
});
