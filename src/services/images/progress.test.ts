import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeMessage, errorMessage, humanSize, progressMessage, progressString, shortId, statusMessage } from './progress.js';

test('humanSize is go-units HumanSize', () => {
  assert.equal(humanSize(0), '0B');
  assert.equal(humanSize(512), '512B');
  assert.equal(humanSize(2152000), '2.152MB');
  assert.equal(humanSize(12345), '12.35kB');
  assert.equal(humanSize(1000), '1kB');
  assert.equal(humanSize(999999), '1000kB');
});

test('progress bar as JSONProgress.String at width 200', () => {
  assert.equal(progressString({ current: 0, total: 0 }), '');
  assert.equal(progressString({ current: 1000, total: 2000 }), `[${'='.repeat(25)}>${' '.repeat(25)}]      1kB/2kB`);
  assert.equal(progressString({ current: 2000, total: 2000 }), `[${'='.repeat(50)}>] ` + '     2kB/2kB');
  assert.equal(progressString({ current: 1000, total: 2000, start: 100 }, 110_000), `[${'='.repeat(25)}>${' '.repeat(25)}]      1kB/2kB 10s`);
  assert.equal(progressString({ current: 1500 }), '   1.5kB');
});

test('messages have Docker\'s shapes and field order', () => {
  assert.equal(encodeMessage(statusMessage('Pulling from library/busybox', 'latest')), '{"status":"Pulling from library/busybox","id":"latest"}\r\n');
  assert.equal(encodeMessage(progressMessage('Pulling fs layer', 'abc')), '{"status":"Pulling fs layer","progressDetail":{},"id":"abc"}\r\n');
  const m = JSON.parse(encodeMessage(progressMessage('Downloading', 'abc', { current: 10, total: 20 }))) as Record<string, unknown>;
  assert.deepEqual(Object.keys(m), ['status', 'progressDetail', 'progress', 'id']);
  assert.equal(encodeMessage(errorMessage('boom')), '{"errorDetail":{"message":"boom"},"error":"boom"}\r\n');
  assert.equal(shortId('sha256:0123456789abcdef0123'), '0123456789ab');
});
