import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RestartTracker } from './restart-policy.js';

test('policies decide like Docker, with a doubling back-off reset after a long run', () => {
  const t = new RestartTracker();
  assert.deepEqual(t.decide({ Name: 'no' }, 1, 0, false, 0), { restart: false, delayMs: 0 });
  assert.deepEqual(t.decide({ Name: 'always' }, 0, 0, false, 10), { restart: true, delayMs: 100 });
  assert.deepEqual(t.decide({ Name: 'always' }, 0, 1, false, 10), { restart: true, delayMs: 200 });
  assert.deepEqual(t.decide({ Name: 'always' }, 0, 2, false, 10), { restart: true, delayMs: 400 });
  assert.deepEqual(t.decide({ Name: 'always' }, 0, 3, false, 20_000), { restart: true, delayMs: 100 });
  assert.equal(t.decide({ Name: 'always' }, 0, 3, true, 10).restart, false, 'manual stop wins');
  const f = new RestartTracker();
  assert.equal(f.decide({ Name: 'on-failure' }, 0, 0, false, 10).restart, false);
  assert.equal(f.decide({ Name: 'on-failure', MaximumRetryCount: 2 }, 3, 1, false, 10).restart, true);
  assert.equal(f.decide({ Name: 'on-failure', MaximumRetryCount: 2 }, 3, 2, false, 10).restart, false);
  assert.equal(RestartTracker.onDaemonStart({ Name: 'unless-stopped' }, true), false);
  assert.equal(RestartTracker.onDaemonStart({ Name: 'unless-stopped' }, false), true);
});
