import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSpec } from './default-spec.js';
import { schemaError } from './validate-schema.js';

const CAPS = ['CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE'];

/** `runc spec` (runc 1.2/1.3) on a cgroup v2 host, with ociVersion 1.3.0, in runc's key order. */
const RUNC_SPEC = {
  ociVersion: '1.3.0',
  process: {
    terminal: true,
    user: { uid: 0, gid: 0 },
    args: ['sh'],
    env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'TERM=xterm'],
    cwd: '/',
    capabilities: { bounding: CAPS, effective: CAPS, permitted: CAPS },
    rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }],
    noNewPrivileges: true,
  },
  root: { path: 'rootfs', readonly: true },
  hostname: 'runc',
  mounts: [
    { destination: '/proc', type: 'proc', source: 'proc' },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', 'relatime', 'ro'] },
  ],
  linux: {
    resources: { devices: [{ allow: false, access: 'rwm' }] },
    namespaces: [{ type: 'pid' }, { type: 'network' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, { type: 'cgroup' }],
    maskedPaths: [
      '/proc/acpi', '/proc/asound', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list',
      '/proc/timer_stats', '/proc/sched_debug', '/sys/firmware', '/proc/scsi',
    ],
    readonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
  },
};

test('defaultSpec is what runc spec writes, key order included', () => {
  const got = defaultSpec({ cgroupNamespace: true });
  assert.equal(JSON.stringify(got, null, '\t'), JSON.stringify(RUNC_SPEC, null, '\t'));
  assert.equal(schemaError('config', got), null);
});

test('no cgroup namespace when asked (runc on a cgroup v1 host)', () => {
  const got = defaultSpec({ cgroupNamespace: false });
  assert.deepEqual(got.linux?.namespaces?.map((n) => n.type), ['pid', 'network', 'ipc', 'uts', 'mount']);
});

test('each call returns a fresh object', () => {
  const a = defaultSpec();
  a.process!.capabilities!.bounding!.push('CAP_SYS_ADMIN');
  a.mounts![1]!.options!.push('x');
  const b = defaultSpec();
  assert.deepEqual(b.process!.capabilities!.bounding, CAPS);
  assert.equal(b.mounts![1]!.options!.includes('x'), false);
});

test('rootless: user namespace with the caller mapped to root, /sys bound, no uid=/gid=, no resources', () => {
  const got = defaultSpec({ rootless: true, uid: 1000, gid: 100, cgroupNamespace: true });
  const linux = got.linux!;
  assert.deepEqual(Object.keys(linux), ['uidMappings', 'gidMappings', 'namespaces', 'maskedPaths', 'readonlyPaths']);
  assert.deepEqual(linux.uidMappings, [{ containerID: 0, hostID: 1000, size: 1 }]);
  assert.deepEqual(linux.gidMappings, [{ containerID: 0, hostID: 100, size: 1 }]);
  assert.deepEqual(linux.namespaces!.map((n) => n.type), ['pid', 'ipc', 'uts', 'mount', 'cgroup', 'user']);
  const sys = got.mounts!.find((m) => m.destination === '/sys');
  assert.deepEqual(sys, { destination: '/sys', type: 'none', source: '/sys', options: ['rbind', 'nosuid', 'noexec', 'nodev', 'ro'] });
  const pts = got.mounts!.find((m) => m.destination === '/dev/pts');
  assert.deepEqual(pts!.options, ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620']);
  assert.equal(got.mounts![0]!.options, undefined);
  assert.equal(schemaError('config', got), null);
});

test('rootless defaults to the effective ids of this process', () => {
  const got = defaultSpec({ rootless: true });
  assert.equal(got.linux!.uidMappings![0]!.hostID, process.geteuid!());
  assert.equal(got.linux!.gidMappings![0]!.hostID, process.getegid!());
});
