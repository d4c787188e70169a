import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_CAPABILITIES } from '../runtime/capabilities.js';
import { runtimeFeatures } from './features.js';
import { schemaError } from './validate-schema.js';

interface Features {
  ociVersionMin: string;
  ociVersionMax: string;
  hooks: string[];
  mountOptions: string[];
  linux: {
    namespaces: string[];
    capabilities: string[];
    cgroup: Record<string, boolean>;
    seccomp: { enabled: boolean; actions: string[]; operators: string[]; archs: string[] };
    apparmor: { enabled: boolean };
    selinux: { enabled: boolean };
  };
}

test('features document is valid against features-schema.json', () => {
  assert.equal(schemaError('features', runtimeFeatures()), null);
});

test('the schema check is real: a bad document fails', () => {
  assert.match(schemaError('features', { ociVersionMin: '1.0.0' }) ?? '', /ociVersionMax: is required/);
  const bad = runtimeFeatures() as Features;
  bad.linux.namespaces.push('bogus');
  assert.match(schemaError('features', bad) ?? '', /linux\.namespaces\[8\]: must be one of/);
});

test('versions, hooks, namespaces and capabilities', () => {
  const f = runtimeFeatures() as Features;
  assert.equal(f.ociVersionMin, '1.0.0');
  assert.equal(f.ociVersionMax, '1.3.0');
  assert.deepEqual(f.hooks, ['prestart', 'createRuntime', 'createContainer', 'startContainer', 'poststart', 'poststop']);
  assert.deepEqual(f.linux.namespaces, ['cgroup', 'ipc', 'mount', 'network', 'pid', 'time', 'user', 'uts']);
  assert.deepEqual(f.linux.capabilities, ALL_CAPABILITIES);
  for (const o of ['ro', 'rbind', 'rprivate', 'rro', 'tmpcopyup', 'idmap']) assert.ok(f.mountOptions.includes(o), o);
});

test('cgroup, seccomp, LSMs', () => {
  const f = runtimeFeatures() as Features;
  assert.deepEqual(f.linux.cgroup, { v1: true, v2: true, systemd: false, systemdUser: false, rdma: false });
  assert.equal(f.linux.seccomp.enabled, true);
  assert.ok(f.linux.seccomp.actions.includes('SCMP_ACT_ERRNO'));
  assert.ok(!f.linux.seccomp.actions.includes('SCMP_ACT_NOTIFY'));
  assert.equal(f.linux.seccomp.operators.length, 7);
  assert.ok(f.linux.seccomp.archs.includes('SCMP_ARCH_X86_64'));
  assert.equal(f.linux.apparmor.enabled, false);
  assert.equal(f.linux.selinux.enabled, false);
});

test('each call returns a fresh document', () => {
  (runtimeFeatures() as Features).hooks.push('x');
  assert.equal((runtimeFeatures() as Features).hooks.length, 6);
});
