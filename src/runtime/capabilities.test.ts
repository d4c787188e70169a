import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isEngineError } from '../common/errors.js';
import {
  ALL_CAPABILITIES,
  DOCKER_DEFAULT_CAPABILITIES,
  LAST_KNOWN_CAP,
  canonicalCapability,
  capabilityMask,
  capabilityName,
  capabilityNames,
  capabilityNumber,
  isCanonicalCapability,
  lastCap,
} from './capabilities.js';

test('table matches the kernel numbering', () => {
  assert.equal(ALL_CAPABILITIES.length, 41);
  assert.equal(LAST_KNOWN_CAP, 40);
  assert.equal(capabilityNumber('CAP_CHOWN'), 0);
  assert.equal(capabilityNumber('CAP_NET_BIND_SERVICE'), 10);
  assert.equal(capabilityNumber('CAP_SYS_ADMIN'), 21);
  assert.equal(capabilityNumber('CAP_AUDIT_WRITE'), 29);
  assert.equal(capabilityNumber('CAP_SETFCAP'), 31);
  assert.equal(capabilityNumber('CAP_MAC_OVERRIDE'), 32);
  assert.equal(capabilityNumber('CAP_BPF'), 39);
  assert.equal(capabilityNumber('CAP_CHECKPOINT_RESTORE'), 40);
  assert.equal(new Set(ALL_CAPABILITIES).size, ALL_CAPABILITIES.length);
  for (const n of ALL_CAPABILITIES) assert.match(n, /^CAP_[A-Z_]+$/);
});

test('Docker-style names: without prefix, any case', () => {
  assert.equal(capabilityNumber('chown'), 0);
  assert.equal(capabilityNumber('NET_ADMIN'), 12);
  assert.equal(capabilityNumber('cap_sys_admin'), 21);
  assert.equal(canonicalCapability('net_raw'), 'CAP_NET_RAW');
  assert.equal(capabilityNumber('CAP_FOO'), undefined);
  assert.equal(capabilityNumber('ALL'), undefined);
  assert.equal(isCanonicalCapability('CAP_KILL'), true);
  assert.equal(isCanonicalCapability('KILL'), false);
  assert.equal(isCanonicalCapability('cap_kill'), false);
});

test('capabilityMask sets bit n for capability n, above 32 too', () => {
  assert.equal(capabilityMask([]), 0n);
  assert.equal(capabilityMask(['CAP_CHOWN', 'CAP_KILL']), 0b100001n);
  assert.equal(capabilityMask(['CAP_CHECKPOINT_RESTORE']), 1n << 40n);
  assert.equal(capabilityMask(ALL_CAPABILITIES), (1n << 41n) - 1n);
  assert.deepEqual(capabilityNames(capabilityMask(['CAP_KILL', 'chown'])), ['CAP_CHOWN', 'CAP_KILL']);
  assert.equal(capabilityName(5), 'CAP_KILL');
  assert.equal(capabilityName(99), undefined);
});

test('capabilityMask: unknown name is invalid-argument', () => {
  assert.throws(() => capabilityMask(['CAP_KILL', 'CAP_FOO']), (e: unknown) => {
    assert.ok(isEngineError(e));
    assert.equal(e.kind, 'invalid-argument');
    assert.equal(e.message, 'unknown capability "CAP_FOO"');
    return true;
  });
});

test('Docker defaults: the 14, all known', () => {
  assert.equal(DOCKER_DEFAULT_CAPABILITIES.length, 14);
  assert.equal(capabilityMask(DOCKER_DEFAULT_CAPABILITIES), 0xa80425fbn);
});

test('lastCap reads the running kernel', () => {
  const want = Number(readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8').trim());
  assert.equal(lastCap(), want);
  assert.equal(lastCap(), want);
});
