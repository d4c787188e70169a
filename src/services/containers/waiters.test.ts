import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Waiters } from './waiters.js';

test('waiters: conditions settle with the exit code; an aborted wait is dropped', async () => {
  const w = new Waiters();
  const gone = new AbortController();
  let abortedSettled = false;
  void w.wait('c1', 'next-exit', gone.signal).then(() => { abortedSettled = true; });
  const kept = w.wait('c1', 'next-exit');
  const removed = w.wait('c1', 'removed');
  gone.abort();
  w.exited('c1', 3);
  assert.equal(await kept, 3);
  w.removed('c1', 3);
  assert.equal(await removed, 3);
  await new Promise((r) => setImmediate(r));
  assert.equal(abortedSettled, false);
  // Already aborted: never registered.
  const pre = new AbortController();
  pre.abort();
  let late = false;
  void w.wait('c2', 'removed', pre.signal).then(() => { late = true; });
  w.removed('c2', 0);
  await new Promise((r) => setImmediate(r));
  assert.equal(late, false);
});
