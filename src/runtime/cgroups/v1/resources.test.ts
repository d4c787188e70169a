import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineError } from '../../../common/errors.js';
import { fakeProbe } from '../write.js';
import { v1Writes } from './resources.js';

const isKind = (kind: string) => (e: unknown) => e instanceof EngineError && e.kind === kind;
const pairs = (w: { file: string; value: string }[]) => w.map((x) => `${x.file}=${x.value}`);

const UNLIMITED = '9223372036854771712';
const probe = (files: Record<string, string> = {}) =>
  fakeProbe({ 'memory.limit_in_bytes': UNLIMITED, 'memory.memsw.limit_in_bytes': UNLIMITED, 'blkio.weight': '500', ...files });

test('memory: raising writes memsw first, lowering writes the limit first', () => {
  const raise = v1Writes({ memory: { limit: 256 << 20, swap: 512 << 20 } }, probe({ 'memory.limit_in_bytes': String(64 << 20) }));
  assert.deepEqual(pairs(raise), [`memory.memsw.limit_in_bytes=${512 << 20}`, `memory.limit_in_bytes=${256 << 20}`]);
  const lower = v1Writes({ memory: { limit: 32 << 20, swap: 64 << 20 } }, probe({ 'memory.limit_in_bytes': String(256 << 20) }));
  assert.deepEqual(pairs(lower), [`memory.limit_in_bytes=${32 << 20}`, `memory.memsw.limit_in_bytes=${64 << 20}`]);
  // From unlimited, the limit comes down first.
  assert.deepEqual(pairs(v1Writes({ memory: { limit: 100, swap: 200 } }, probe())), ['memory.limit_in_bytes=100', 'memory.memsw.limit_in_bytes=200']);
});

test('memory: unlimited swap goes first; unlimited memory implies unlimited swap', () => {
  assert.deepEqual(pairs(v1Writes({ memory: { limit: 100, swap: -1 } }, probe())), ['memory.memsw.limit_in_bytes=-1', 'memory.limit_in_bytes=100']);
  assert.deepEqual(pairs(v1Writes({ memory: { limit: -1 } }, probe())), ['memory.memsw.limit_in_bytes=-1', 'memory.limit_in_bytes=-1']);
});

test('memory: other fields', () => {
  const w = v1Writes({ memory: { limit: 100, reservation: 50, swappiness: 10, disableOOMKiller: true, kernelTCP: 4096 } }, probe());
  assert.deepEqual(pairs(w), [
    'memory.limit_in_bytes=100', 'memory.soft_limit_in_bytes=50', 'memory.kmem.tcp.limit_in_bytes=4096',
    'memory.swappiness=10', 'memory.oom_control=1',
  ]);
  assert.throws(() => v1Writes({ memory: { swappiness: 101 } }, probe()), isKind('invalid-argument'));
  assert.throws(() => v1Writes({ memory: { limit: 200, swap: 100 } }, probe()), isKind('invalid-argument'));
});

test('memory: swap without swap accounting is refused clearly', () => {
  const noSwap = fakeProbe({ 'memory.limit_in_bytes': UNLIMITED });
  assert.throws(() => v1Writes({ memory: { limit: 100, swap: 200 } }, noSwap), isKind('failed-precondition'));
  assert.deepEqual(pairs(v1Writes({ memory: { limit: -1 } }, noSwap)), ['memory.limit_in_bytes=-1']);
});

test('cpu: shares, period before quota (retried on EINVAL), rt period before runtime', () => {
  const w = v1Writes({ cpu: { shares: 512, quota: 50000, period: 100000, realtimePeriod: 1000000, realtimeRuntime: 950000, cpus: '0-1', mems: '0' } }, probe());
  assert.deepEqual(pairs(w), [
    'cpuset.cpus=0-1', 'cpuset.mems=0', 'cpu.shares=512', 'cpu.cfs_period_us=100000', 'cpu.cfs_quota_us=50000',
    'cpu.rt_period_us=1000000', 'cpu.rt_runtime_us=950000',
  ]);
  assert.equal(w.find((x) => x.file === 'cpu.cfs_period_us')?.retryOnEinval, true);
  assert.equal(v1Writes({ cpu: { period: 100000 } }, probe())[0]?.retryOnEinval, false);
  assert.deepEqual(pairs(v1Writes({ cpu: { quota: -1 } }, probe())), ['cpu.cfs_quota_us=-1']);
});

test('pids: limit, and -1 or 0 as "max"', () => {
  assert.deepEqual(pairs(v1Writes({ pids: { limit: 8 } }, probe())), ['pids.max=8']);
  assert.deepEqual(pairs(v1Writes({ pids: { limit: -1 } }, probe())), ['pids.max=max']);
  assert.deepEqual(pairs(v1Writes({ pids: { limit: 0 } }, probe())), ['pids.max=max']);
});

test('blkio: CFQ weight when present, BFQ otherwise; throttles per device', () => {
  const io = { weight: 300, weightDevice: [{ major: 8, minor: 0, weight: 200 }], throttleReadBpsDevice: [{ major: 8, minor: 0, rate: 1048576 }], throttleWriteIOPSDevice: [{ major: 8, minor: 16, rate: 100 }] };
  assert.deepEqual(pairs(v1Writes({ blockIO: io }, probe())), [
    'blkio.weight=300', 'blkio.weight_device=8:0 200', 'blkio.throttle.read_bps_device=8:0 1048576', 'blkio.throttle.write_iops_device=8:16 100',
  ]);
  const bfq = fakeProbe({ 'blkio.bfq.weight': '100' });
  assert.deepEqual(pairs(v1Writes({ blockIO: { weight: 300, weightDevice: [{ major: 8, minor: 0, weight: 200 }] } }, bfq)), [
    'blkio.bfq.weight=300', 'blkio.bfq.weight_device=8:0 200',
  ]);
});

test('devices: one write per rule, in order', () => {
  const w = v1Writes({
    devices: [
      { allow: false, access: 'rwm' },
      { allow: true, type: 'c', major: 1, minor: 5, access: 'rwm' },
      { allow: true, type: 'c', major: 136, access: 'wr' },
      { allow: false, type: 'b', major: 8, minor: 0 },
    ],
  }, probe());
  assert.deepEqual(pairs(w), ['devices.deny=a *:* rwm', 'devices.allow=c 1:5 rwm', 'devices.allow=c 136:* rw', 'devices.deny=b 8:0 rwm']);
  assert.throws(() => v1Writes({ devices: [{ allow: true, access: 'rwx' }] }, probe()), isKind('invalid-argument'));
  assert.throws(() => v1Writes({ devices: [{ allow: true, type: 'x' as 'a' }] }, probe()), isKind('invalid-argument'));
});

test('hugetlb, network, rdma', () => {
  assert.deepEqual(pairs(v1Writes({ hugepageLimits: [{ pageSize: '2MB', limit: 4194304 }] }, probe())), ['hugetlb.2MB.limit_in_bytes=4194304']);
  assert.throws(() => v1Writes({ hugepageLimits: [{ pageSize: '../x', limit: 1 }] }, probe()), isKind('invalid-argument'));
  assert.deepEqual(pairs(v1Writes({ network: { classID: 1048577, priorities: [{ name: 'eth0', priority: 5 }] } }, probe())), [
    'net_cls.classid=1048577', 'net_prio.ifpriomap=eth0 5',
  ]);
  assert.deepEqual(pairs(v1Writes({ rdma: { mlx5_1: { hcaHandles: 3 } } }, probe())), ['rdma.max=mlx5_1 hca_handle=3 hca_object=max']);
});

test('unified is refused on v1', () => {
  assert.throws(() => v1Writes({ unified: { 'memory.high': '1G' } }, probe()), isKind('invalid-argument'));
  assert.deepEqual(v1Writes({ unified: {} }, probe()), []);
});
