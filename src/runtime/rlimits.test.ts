import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isEngineError } from '../common/errors.js';
import { RLIMIT_NAMES, RLIM_INFINITY, isRlimitName, rlimitNumber } from './rlimits.js';

test('resource numbers for x86_64/aarch64', () => {
  assert.equal(rlimitNumber('RLIMIT_CPU'), 0);
  assert.equal(rlimitNumber('RLIMIT_NPROC'), 6);
  assert.equal(rlimitNumber('RLIMIT_NOFILE'), 7);
  assert.equal(rlimitNumber('RLIMIT_MEMLOCK'), 8);
  assert.equal(rlimitNumber('RLIMIT_AS'), 9);
  assert.equal(rlimitNumber('RLIMIT_RTTIME'), 15);
  assert.equal(RLIMIT_NAMES.length, 16);
  RLIMIT_NAMES.forEach((n, i) => assert.equal(rlimitNumber(n), i));
  assert.equal(RLIM_INFINITY, 18446744073709551615n);
});

test('unknown rlimit names are invalid-argument', () => {
  assert.equal(isRlimitName('RLIMIT_FOO'), false);
  assert.equal(isRlimitName('toString'), false);
  assert.throws(() => rlimitNumber('RLIMIT_FOO'), (e: unknown) => {
    assert.ok(isEngineError(e));
    assert.equal(e.kind, 'invalid-argument');
    assert.match(e.message, /^unknown rlimit type "RLIMIT_FOO" \(expected one of RLIMIT_CPU, /);
    return true;
  });
  assert.throws(() => rlimitNumber('nofile'), /unknown rlimit type "nofile"/);
});
