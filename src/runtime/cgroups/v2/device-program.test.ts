import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LinuxDeviceCgroup } from '../../../oci/runtime-spec.js';
import { normalizeDeviceRule } from '../device-rules.js';
import { compileDeviceProgram, effectiveRules, encodeProgram, runDeviceProgram } from './device-program.js';

const compile = (rules: LinuxDeviceCgroup[]) => compileDeviceProgram(rules.map(normalizeDeviceRule));

// Docker's default: deny all, then a list of allowed nodes.
const DOCKER_DEFAULT: LinuxDeviceCgroup[] = [
  { allow: false, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 5, access: 'rwm' },
  { allow: true, type: 'c', major: 136, access: 'rwm' },
  { allow: true, type: 'c', major: 5, minor: 1, access: 'rw' },
  { allow: false, type: 'c', major: 10, minor: 229, access: 'rwm' },
];

test('deny-all then allow list', () => {
  const p = compile(DOCKER_DEFAULT);
  assert.equal(runDeviceProgram(p, 'c', 1, 3, 'rw'), true);
  assert.equal(runDeviceProgram(p, 'c', 1, 3, 'm'), true);
  assert.equal(runDeviceProgram(p, 'b', 1, 3, 'r'), false, 'type must match');
  assert.equal(runDeviceProgram(p, 'c', 136, 42, 'rw'), true, 'minor wildcard');
  assert.equal(runDeviceProgram(p, 'c', 5, 1, 'rw'), true);
  assert.equal(runDeviceProgram(p, 'c', 5, 1, 'm'), false, 'access not granted');
  assert.equal(runDeviceProgram(p, 'c', 5, 1, 'rm'), false, 'partially granted access is not granted');
  assert.equal(runDeviceProgram(p, 'b', 8, 0, 'r'), false, 'default deny');
  assert.equal(runDeviceProgram(p, 'c', 10, 229, 'r'), false);
});

test('no rules or allow-all last means allow everything; later rules win', () => {
  assert.equal(runDeviceProgram(compile([]), 'b', 8, 0, 'rwm'), true);
  assert.equal(runDeviceProgram(compile([...DOCKER_DEFAULT, { allow: true, access: 'rwm' }]), 'b', 8, 0, 'rwm'), true);
  const p = compile([{ allow: true, access: 'rwm' }, { allow: false, type: 'c', major: 1, minor: 5, access: 'w' }]);
  assert.equal(runDeviceProgram(p, 'c', 1, 5, 'r'), true, 'deny of w leaves r');
  assert.equal(runDeviceProgram(p, 'c', 1, 5, 'rw'), false, 'deny matches any overlap');
  const q = compile([{ allow: false, access: 'rwm' }, { allow: true, type: 'c', major: 1, minor: 5, access: 'rwm' }, { allow: false, type: 'c', major: 1, minor: 5, access: 'rwm' }]);
  assert.equal(runDeviceProgram(q, 'c', 1, 5, 'r'), false);
});

test('rules before the last "a" rule are dropped', () => {
  const eff = effectiveRules(DOCKER_DEFAULT.map(normalizeDeviceRule));
  assert.equal(eff.defaultAllow, false);
  assert.equal(eff.rules.length, DOCKER_DEFAULT.length - 1);
});

test('encoding: 8 bytes per instruction, registers packed dst-low', () => {
  const p = compile(DOCKER_DEFAULT);
  const buf = encodeProgram(p);
  assert.equal(buf.length, p.length * 8);
  // First instruction: r2 = *(u32 *)(r1 + 0).
  assert.deepEqual([...buf.subarray(0, 8)], [0x61, 0x12, 0, 0, 0, 0, 0, 0]);
  // Last two: r0 = 0; exit.
  assert.deepEqual([...buf.subarray(buf.length - 16)], [0xb7, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0]);
});
