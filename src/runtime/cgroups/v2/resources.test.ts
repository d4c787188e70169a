import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineError } from '../../../common/errors.js';
import { fakeProbe } from '../write.js';
import { sharesToWeight } from './cpu.js';
import { blkioWeightToIoWeight } from './io.js';
import { swapToV2 } from './memory.js';
import { v2Writes } from './resources.js';

const isInvalid = (e: unknown) => e instanceof EngineError && e.kind === 'invalid-argument';
const pairs = (w: { file: string; value: string }[]) => w.map((x) => `${x.file}=${x.value}`);
const probe = fakeProbe({ 'io.weight': 'default 100' });

test('shares → weight, as runc and crun convert', () => {
  assert.equal(sharesToWeight(0), 0);
  assert.equal(sharesToWeight(2), 1);
  assert.equal(sharesToWeight(1024), 39);
  assert.equal(sharesToWeight(512), 20);
  assert.equal(sharesToWeight(262144), 10000);
});

test('blkio weight → io weight', () => {
  assert.equal(blkioWeightToIoWeight(0), 0);
  assert.equal(blkioWeightToIoWeight(10), 1);
  assert.equal(blkioWeightToIoWeight(500), 4950);
  assert.equal(blkioWeightToIoWeight(1000), 10000);
});

test('swap: OCI memory+swap → memory.swap.max', () => {
  assert.equal(swapToV2(0, 0), undefined);
  assert.equal(swapToV2(0, 100), undefined);
  assert.equal(swapToV2(0, -1), -1);
  assert.equal(swapToV2(-1, 100), -1);
  assert.equal(swapToV2(300, 100), 200);
  assert.equal(swapToV2(100, 100), 0);
  assert.throws(() => swapToV2(50, 100), isInvalid);
  assert.throws(() => swapToV2(100, 0), isInvalid);
});

test('memory', () => {
  assert.deepEqual(pairs(v2Writes({ memory: { limit: 32 << 20, swap: 64 << 20, reservation: 16 << 20 } }, probe)), [
    `memory.swap.max=${32 << 20}`, `memory.max=${32 << 20}`, `memory.low=${16 << 20}`,
  ]);
  const unlimited = v2Writes({ memory: { limit: -1 } }, probe);
  assert.deepEqual(pairs(unlimited), ['memory.swap.max=max', 'memory.max=max']);
  assert.equal(unlimited[0]?.optional, true, 'swap.max=max is a no-op without swap accounting');
  const noSwap = v2Writes({ memory: { limit: 100, swap: 100 } }, probe);
  assert.deepEqual(pairs(noSwap), ['memory.swap.max=0', 'memory.max=100']);
  // v1-only knobs are ignored, as runc does.
  assert.deepEqual(v2Writes({ memory: { swappiness: 10, disableOOMKiller: true, kernelTCP: 1 } }, probe), []);
});

test('cpu', () => {
  assert.deepEqual(pairs(v2Writes({ cpu: { shares: 1024, quota: 50000, period: 100000, cpus: '0', mems: '0' } }, probe)), [
    'cpuset.cpus=0', 'cpuset.mems=0', 'cpu.weight=39', 'cpu.max=50000 100000',
  ]);
  assert.deepEqual(pairs(v2Writes({ cpu: { quota: -1, period: 100000 } }, probe)), ['cpu.max=max 100000']);
  assert.deepEqual(pairs(v2Writes({ cpu: { quota: 20000 } }, probe)), ['cpu.max=20000']);
  assert.deepEqual(pairs(v2Writes({ cpu: { burst: 1000, idle: 1 } }, probe)), ['cpu.max.burst=1000', 'cpu.idle=1']);
  assert.throws(() => v2Writes({ cpu: { realtimeRuntime: 1000 } }, probe), isInvalid);
});

test('pids', () => {
  assert.deepEqual(pairs(v2Writes({ pids: { limit: 8 } }, probe)), ['pids.max=8']);
  assert.deepEqual(pairs(v2Writes({ pids: { limit: -1 } }, probe)), ['pids.max=max']);
});

test('io: io.weight converted, or BFQ weights as they are; io.max per limit', () => {
  const io = { weight: 500, weightDevice: [{ major: 8, minor: 0, weight: 100 }], throttleReadBpsDevice: [{ major: 8, minor: 0, rate: 1000 }], throttleWriteIOPSDevice: [{ major: 8, minor: 0, rate: 0 }] };
  assert.deepEqual(pairs(v2Writes({ blockIO: io }, probe)), ['io.weight=4950', 'io.max=8:0 rbps=1000', 'io.max=8:0 wiops=max']);
  assert.deepEqual(pairs(v2Writes({ blockIO: { weight: 500, weightDevice: io.weightDevice } }, fakeProbe({ 'io.bfq.weight': 'default 100' }))), [
    'io.bfq.weight=500', 'io.bfq.weight=8:0 100',
  ]);
});

test('hugetlb and unified (last, verbatim)', () => {
  assert.deepEqual(pairs(v2Writes({ hugepageLimits: [{ pageSize: '1GB', limit: -1 }], pids: { limit: 5 }, unified: { 'memory.high': '1G', 'pids.max': '7' } }, probe)), [
    'pids.max=5', 'hugetlb.1GB.max=max', 'memory.high=1G', 'pids.max=7',
  ]);
  assert.throws(() => v2Writes({ unified: { '../../etc/passwd': 'x' } }, probe), isInvalid);
  assert.throws(() => v2Writes({ unified: { 'memory.high/x': 'x' } }, probe), isInvalid);
});

test('net_cls / net_prio do not exist on v2', () => {
  assert.throws(() => v2Writes({ network: { classID: 1 } }, probe), isInvalid);
});
