/** docker update's merge rules (moby container.UpdateContainer). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeUpdate } from './update.js';

test('mergeUpdate: zero leaves a value, set values replace it', () => {
  const hc = mergeUpdate({ Memory: 128 << 20, CpuShares: 512, NetworkMode: 'none' }, { Memory: 64 << 20, NanoCpus: 5e8, CpuShares: 0 });
  assert.deepEqual(hc, { Memory: 64 << 20, CpuShares: 512, NanoCpus: 5e8, NetworkMode: 'none' });
  assert.equal(mergeUpdate({ PidsLimit: 10 }, { PidsLimit: 0 }).PidsLimit, 0);
  assert.deepEqual(mergeUpdate({}, { RestartPolicy: { Name: 'always' } }).RestartPolicy, { Name: 'always' });
});

test('mergeUpdate: Docker conflicts', () => {
  assert.throws(() => mergeUpdate({ CpuPeriod: 100000 }, { NanoCpus: 1e9 }), /Nano CPUs cannot be updated as CPU Period has already been set/);
  assert.throws(() => mergeUpdate({ NanoCpus: 1e9 }, { CpuQuota: 50000 }), /CPU Quota cannot be updated as NanoCPUs has already been set/);
  assert.throws(() => mergeUpdate({ Memory: 64 << 20, MemorySwap: 100 << 20 }, { Memory: 200 << 20 }), /update the memoryswap at the same time/);
  assert.throws(() => mergeUpdate({ AutoRemove: true }, { RestartPolicy: { Name: 'always' } }), /AutoRemove is enabled/);
});
