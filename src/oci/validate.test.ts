import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEngineError } from '../common/errors.js';
import { defaultSpec } from './default-spec.js';
import { validateSpec } from './validate.js';

let bundle = '';

before(() => {
  bundle = mkdtempSync(join(tmpdir(), 'skiff-validate-'));
  mkdirSync(join(bundle, 'rootfs'));
  writeFileSync(join(bundle, 'afile'), '');
});

after(() => {
  rmSync(bundle, { recursive: true, force: true });
});

/** A fresh `runc spec` config, as plain JSON (what a bundle's config.json parses to). */
function spec(): Record<string, any> {
  return JSON.parse(JSON.stringify(defaultSpec({ cgroupNamespace: true })));
}

function rejects(raw: unknown, message: string | RegExp): void {
  assert.throws(() => validateSpec(raw, { bundle }), (e: unknown) => {
    assert.ok(isEngineError(e), 'an EngineError');
    assert.equal(e.kind, 'invalid-argument');
    assert.ok(!e.message.includes('\n'), `one line: ${e.message}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

test('the default spec and the rootless one pass', () => {
  const s = spec();
  assert.deepEqual(validateSpec(s, { bundle }), s);
  validateSpec(JSON.parse(JSON.stringify(defaultSpec({ rootless: true, uid: 1000, gid: 1000 }))), { bundle });
});

test('root.path is resolved against the bundle, absolute paths taken as they are', () => {
  const s = spec();
  s.root.path = join(bundle, 'rootfs');
  validateSpec(s);
  const rel = spec();
  rejects({ ...rel, root: { path: 'nope' } }, `config.json: root.path: rootfs (${join(bundle, 'nope')}) does not exist`);
  rejects({ ...rel, root: { path: 'afile' } }, `config.json: root.path: rootfs (${join(bundle, 'afile')}) is not a directory`);
  rejects({ ...rel, root: undefined }, 'config.json: root: is required');
});

test('malformed types name the path and what was found', () => {
  rejects([], 'config.json: must be an object (got an array)');
  rejects(null, 'config.json: must be an object (got null)');
  const s = spec();
  s.process.args = 'sh';
  rejects(s, 'config.json: process.args: must be an array (got "sh")');
  const t = spec();
  t.process.user.uid = -1;
  rejects(t, 'config.json: process.user.uid: must be >= 0 (got -1)');
  const u = spec();
  u.process.terminal = 'yes';
  rejects(u, 'config.json: process.terminal: must be a boolean (got "yes")');
  const v = spec();
  delete v.ociVersion;
  rejects(v, 'config.json: ociVersion: is required');
  const w = spec();
  w.linux.sysctl = { 'net.ipv4.ip_forward': 1 };
  rejects(w, 'config.json: linux.sysctl["net.ipv4.ip_forward"]: must be a string (got 1)');
});

test('unknown and duplicate namespaces', () => {
  const s = spec();
  s.linux.namespaces[2].type = 'foo';
  rejects(s, 'config.json: linux.namespaces[2].type: must be one of pid, network, mount, ipc, uts, user, cgroup, time (got "foo")');
  const d = spec();
  d.linux.namespaces.push({ type: 'pid' });
  rejects(d, 'config.json: linux.namespaces[6].type: duplicate namespace "pid"');
});

test('ociVersion must be 1.0.x to 1.3.x', () => {
  rejects({ ...spec(), ociVersion: '2.0.0' },
    'config.json: ociVersion: unsupported version "2.0.0" (supported: 1.0.x, 1.1.x, 1.2.x, 1.3.x)');
  rejects({ ...spec(), ociVersion: '1.4.0' }, /unsupported version "1\.4\.0"/);
  rejects({ ...spec(), ociVersion: 'latest' }, /unsupported version "latest"/);
  for (const v of ['1.0.0', '1.0.2-dev', '1.1.0', '1.2.1', '1.3.0+dev']) validateSpec({ ...spec(), ociVersion: v }, { bundle });
});

test('process: present, non-empty args, absolute cwd', () => {
  rejects({ ...spec(), process: undefined }, 'config.json: process: is required');
  const s = spec();
  delete s.process.args;
  rejects(s, 'config.json: process.args: must not be empty');
  const e = spec();
  e.process.args = [];
  rejects(e, 'config.json: process.args: must not be empty');
  const c = spec();
  c.process.cwd = 'home';
  rejects(c, 'config.json: process.cwd: must be an absolute path (got "home")');
});

test('user namespace and id mappings go together', () => {
  const s = spec();
  s.linux.namespaces.push({ type: 'user' });
  rejects(s, 'config.json: linux.uidMappings: a user namespace needs uidMappings and gidMappings (or a namespace path to join)');
  s.linux.namespaces.at(-1).path = '/proc/1/ns/user';
  validateSpec(s, { bundle });
  const m = spec();
  m.linux.uidMappings = [{ containerID: 0, hostID: 1000, size: 1 }];
  m.linux.gidMappings = [{ containerID: 0, hostID: 1000, size: 1 }];
  rejects(m, 'config.json: linux.uidMappings: id mappings need a user namespace in linux.namespaces');
});

test('sysctls only in a private namespace', () => {
  const s = spec();
  s.linux.namespaces = s.linux.namespaces.filter((n: { type: string }) => n.type !== 'network');
  s.linux.sysctl = { 'net.ipv4.ip_forward': '1' };
  rejects(s, 'config.json: linux.sysctl["net.ipv4.ip_forward"]: not allowed without a private network namespace');
  s.linux.sysctl = { 'net/ipv4/ip_forward': '1' };
  rejects(s, /not allowed without a private network namespace/);
  const ok = spec();
  ok.linux.sysctl = { 'net.ipv4.ip_forward': '1', 'kernel.shmmax': '1', 'fs.mqueue.msg_max': '10', 'kernel.domainname': 'x' };
  validateSpec(ok, { bundle });
  const ipc = spec();
  ipc.linux.namespaces = ipc.linux.namespaces.filter((n: { type: string }) => n.type !== 'ipc');
  ipc.linux.sysctl = { 'kernel.shmmax': '1' };
  rejects(ipc, 'config.json: linux.sysctl["kernel.shmmax"]: not allowed without a private ipc namespace');
  const host = spec();
  host.linux.sysctl = { 'vm.swappiness': '10' };
  rejects(host, 'config.json: linux.sysctl["vm.swappiness"]: is not in a separate kernel namespace');
  const hn = spec();
  hn.linux.sysctl = { 'kernel.hostname': 'x' };
  rejects(hn, /conflicts with the "hostname" field/);
});

test('capabilities and rlimits must be known', () => {
  const s = spec();
  s.process.capabilities.effective.push('CAP_FOO');
  rejects(s, 'config.json: process.capabilities.effective[3]: unknown capability "CAP_FOO"');
  const lower = spec();
  lower.process.capabilities.bounding = ['kill'];
  rejects(lower, /bounding\[0\]: unknown capability "kill"/);
  const r = spec();
  r.process.rlimits.push({ type: 'RLIMIT_FOO', soft: 1, hard: 1 });
  rejects(r, 'config.json: process.rlimits[1].type: unknown rlimit type "RLIMIT_FOO"');
  const d = spec();
  d.process.rlimits.push({ type: 'RLIMIT_NOFILE', soft: 1, hard: 1 });
  rejects(d, 'config.json: process.rlimits[1].type: duplicate rlimit "RLIMIT_NOFILE"');
  const h = spec();
  h.process.rlimits[0].soft = 2048;
  rejects(h, 'config.json: process.rlimits[0]: soft limit (2048) exceeds hard limit (1024)');
  const inf = spec();
  inf.process.rlimits = [{ type: 'RLIMIT_CORE', soft: 18446744073709551615, hard: 18446744073709551615 }];
  validateSpec(inf, { bundle });
});

test('hostname needs a uts namespace; masked paths a mount namespace', () => {
  const s = spec();
  s.linux.namespaces = s.linux.namespaces.filter((n: { type: string }) => n.type !== 'uts');
  rejects(s, 'config.json: hostname: cannot set the hostname without a private uts namespace');
  const m = spec();
  m.linux.namespaces = m.linux.namespaces.filter((n: { type: string }) => n.type !== 'mount');
  rejects(m, 'config.json: linux.maskedPaths: needs a private mount namespace');
});

test('mounts: bind mounts take no fs data, relative destinations only warn, no NUL bytes', () => {
  const s = spec();
  s.mounts.push({ destination: '/data', type: 'bind', source: '/tmp', options: ['rbind', 'mode=755'] });
  rejects(s, 'config.json: mounts[7].options: a bind mount cannot take filesystem options (got "mode=755")');
  const warnings: string[] = [];
  const r = spec();
  r.mounts.push({ destination: 'data', type: 'bind', source: '/tmp', options: ['rbind', 'rprivate', 'ro'] });
  validateSpec(r, { bundle, onWarning: (w) => warnings.push(w) });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /mounts\[7\]\.destination: relative path "data" is deprecated/);
  const n = spec();
  n.mounts[0].destination = '/pr\0c';
  rejects(n, 'config.json: mounts[0].destination: must not contain a NUL byte');
  const id = spec();
  id.mounts.push({ destination: '/data', type: 'tmpfs', source: 'tmpfs', options: ['idmap'] });
  rejects(id, 'config.json: mounts[7]: id-mapped mounts are only supported for bind mounts');
});

test('rootfsPropagation: the schema names plus the recursive ones runc accepts', () => {
  for (const p of ['private', 'rslave', 'rshared', 'unbindable']) {
    validateSpec({ ...spec(), linux: { ...spec().linux, rootfsPropagation: p } }, { bundle });
  }
  rejects({ ...spec(), linux: { ...spec().linux, rootfsPropagation: 'bogus' } },
    /^config\.json: linux\.rootfsPropagation: must be one of private, shared, slave, unbindable, rprivate, rshared, rslave, runbindable \(got "bogus"\)$/);
});

/** What runc 1.0's `runc spec` wrote: 1.0.2-dev, five capability sets, no cgroup namespace. */
const RUNC_1_0_SPEC = {
  ociVersion: '1.0.2-dev',
  process: {
    terminal: true,
    user: { uid: 0, gid: 0 },
    args: ['sh'],
    env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'TERM=xterm'],
    cwd: '/',
    capabilities: Object.fromEntries(['bounding', 'effective', 'inheritable', 'permitted', 'ambient']
      .map((k) => [k, ['CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE']])),
    rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }],
    noNewPrivileges: true,
  },
  root: { path: 'rootfs', readonly: true },
  hostname: 'runc',
  mounts: [
    { destination: '/proc', type: 'proc', source: 'proc' },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
  ],
  linux: {
    resources: { devices: [{ allow: false, access: 'rwm' }] },
    namespaces: [{ type: 'pid' }, { type: 'network' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }],
    maskedPaths: ['/proc/kcore'],
    readonlyPaths: ['/proc/sys'],
  },
};

/** A 1.1.0-shaped config as containerd writes it: seccomp, cgroupsPath, resources, hooks. */
const CONTAINERD_1_1_SPEC = {
  ociVersion: '1.1.0',
  process: {
    user: { uid: 0, gid: 0, additionalGids: [0, 10] },
    args: ['/bin/sh', '-c', 'true'],
    env: ['PATH=/usr/bin:/bin'],
    cwd: '/',
    capabilities: { bounding: ['CAP_CHOWN', 'CAP_KILL'], effective: ['CAP_CHOWN'], permitted: ['CAP_CHOWN'] },
    oomScoreAdj: 0,
  },
  root: { path: 'rootfs' },
  mounts: [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/etc/hosts', type: 'bind', source: '/etc/hosts', options: ['rbind', 'rprivate', 'ro'] },
  ],
  hooks: { createRuntime: [{ path: '/bin/true', args: ['true'], timeout: 5 }] },
  annotations: { 'io.kubernetes.cri.container-type': 'container' },
  linux: {
    resources: {
      devices: [{ allow: false, access: 'rwm' }, { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' }],
      memory: { limit: 536870912, swap: 536870912 },
      cpu: { shares: 1024, quota: 50000, period: 100000 },
      pids: { limit: -1 },
    },
    cgroupsPath: '/k8s/abc',
    namespaces: [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, { type: 'network', path: '/proc/1/ns/net' }],
    seccomp: {
      defaultAction: 'SCMP_ACT_ERRNO',
      architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
      syscalls: [{ names: ['read', 'write'], action: 'SCMP_ACT_ALLOW' },
        { names: ['personality'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 0, op: 'SCMP_CMP_EQ' }] }],
    },
    rootfsPropagation: 'rslave',
    maskedPaths: ['/proc/acpi'],
    readonlyPaths: ['/proc/bus'],
  },
};

test('configs of the 1.0.2 and 1.1.0 shapes are accepted', () => {
  validateSpec(structuredClone(RUNC_1_0_SPEC), { bundle });
  validateSpec(structuredClone(CONTAINERD_1_1_SPEC), { bundle });
});

test('device cgroup rules: type a/b/c, access from rwm', () => {
  const s = spec();
  s.linux.resources.devices.push({ allow: true, type: 'x', access: 'r' });
  rejects(s, 'config.json: linux.resources.devices[1].type: must be one of a, b, c (got "x")');
  const a = spec();
  a.linux.resources.devices.push({ allow: true, type: 'c', major: 1, minor: 3, access: 'rwx' });
  rejects(a, 'config.json: linux.resources.devices[1].access: must be a combination of r, w, m (got "rwx")');
});
