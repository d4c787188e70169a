/** Health checks: test commands, result folding (streaks, start period, log size), durations. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyResult, goDuration, probeCommand } from './health.js';

test('probeCommand: CMD, CMD-SHELL with the container shell, NONE and empty disable', () => {
  assert.deepEqual(probeCommand({ Test: ['CMD', 'true', 'x'] }, undefined), ['true', 'x']);
  assert.deepEqual(probeCommand({ Test: ['CMD-SHELL', 'test -f /ok'] }, undefined), ['/bin/sh', '-c', 'test -f /ok']);
  assert.deepEqual(probeCommand({ Test: ['CMD-SHELL', 'x'] }, ['/bin/ash', '-c']), ['/bin/ash', '-c', 'x']);
  assert.equal(probeCommand({ Test: ['NONE'] }, undefined), undefined);
  assert.equal(probeCommand({ Test: [] }, undefined), undefined);
  assert.equal(probeCommand(undefined, undefined), undefined);
});

const r = (code: number) => ({ Start: 's', End: 'e', ExitCode: code, Output: '' });

test('applyResult: failures count after the start period, Retries make it unhealthy, a pass heals', () => {
  const h = { Status: 'starting' as const, FailingStreak: 0, Log: [] } as { Status: 'starting' | 'healthy' | 'unhealthy' | 'none'; FailingStreak: number; Log: ReturnType<typeof r>[] };
  assert.equal(applyResult(h, r(1), { retries: 2, inStartPeriod: true }), 'starting');
  assert.equal(h.FailingStreak, 0);
  assert.equal(applyResult(h, r(1), { retries: 2, inStartPeriod: false }), 'starting');
  assert.equal(applyResult(h, r(1), { retries: 2, inStartPeriod: false }), 'unhealthy');
  assert.equal(applyResult(h, r(0), { retries: 2, inStartPeriod: false }), 'healthy');
  assert.equal(h.FailingStreak, 0);
  for (let i = 0; i < 5; i++) applyResult(h, r(1), { retries: 9, inStartPeriod: true });
  assert.equal(h.Log.length, 5);
  assert.equal(h.Status, 'healthy'); // the start period spares only a container still starting
});

test('goDuration formats like Go', () => {
  assert.equal(goDuration(500), '500ms');
  assert.equal(goDuration(1000), '1s');
  assert.equal(goDuration(1500), '1.5s');
  assert.equal(goDuration(30_000), '30s');
  assert.equal(goDuration(120_000), '2m0s');
});
