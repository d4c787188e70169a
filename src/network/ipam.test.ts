import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allocate, initialAllocations, makePool, release } from './ipam.js';
import { candidates, parseProcRoutes, selectSubnet, DEFAULT_ADDRESS_POOLS } from './pools.js';
import { formatCidr, macFromIPv4, parseCidr, parseIPv4 } from './ipv4.js';
import type { NetworkRecord } from './types.js';

function net(subnet: string, extra: { gateway?: string; ipRange?: string } = {}): NetworkRecord {
  const pool = makePool({ subnet, ...extra });
  return {
    id: 'n', name: 'n', driver: 'bridge', created: '', predefined: false, internal: false, attachable: false,
    enableIPv6: false, labels: {}, options: {}, ipamOptions: {}, pool, allocations: initialAllocations(pool),
  };
}

test('gateway defaults to the first address and is reserved', () => {
  const n = net('10.9.0.0/24');
  assert.equal(n.pool!.gateway, '10.9.0.1');
  assert.equal(allocate(n, 'a'), '10.9.0.2');
  assert.equal(allocate(n, 'b'), '10.9.0.3');
});

test('allocation is serial: a released address is not reused at once, and wraps', () => {
  const n = net('10.9.0.0/29'); // .1 gw, .2-.6 usable, .7 broadcast
  const got = ['a', 'b', 'c', 'd', 'e'].map((o) => allocate(n, o));
  assert.deepEqual(got, ['10.9.0.2', '10.9.0.3', '10.9.0.4', '10.9.0.5', '10.9.0.6']);
  assert.throws(() => allocate(n, 'f'), /no available IPv4 addresses/);
  assert.equal(release(n, '10.9.0.3', 'b'), true);
  assert.equal(release(n, '10.9.0.4', 'b'), false, 'only the owner releases');
  assert.equal(allocate(n, 'g'), '10.9.0.3');
});

test('--ip is honoured, with conflict and range errors', () => {
  const n = net('10.9.0.0/24');
  assert.equal(allocate(n, 'a', '10.9.0.50'), '10.9.0.50');
  assert.throws(() => allocate(n, 'b', '10.9.0.50'), (e: Error & { kind?: string }) => e.kind === 'conflict' && /Address already in use/.test(e.message));
  assert.throws(() => allocate(n, 'b', '10.9.0.1'), /Address already in use/);
  assert.throws(() => allocate(n, 'b', '10.9.1.5'), /no configured subnet/);
  assert.throws(() => allocate(n, 'b', '10.9.0.255'), /no configured subnet/);
});

test('--ip-range narrows dynamic allocation', () => {
  const n = net('10.9.0.0/24', { ipRange: '10.9.0.128/25' });
  assert.equal(allocate(n, 'a'), '10.9.0.128');
  assert.throws(() => makePool({ subnet: '10.9.0.0/24', ipRange: '10.8.0.0/25' }), /within subnet/);
  assert.throws(() => makePool({ subnet: '10.9.0.5/24' }), /it should be 10.9.0.0\/24/);
  assert.throws(() => makePool({ subnet: '10.9.0.0/24', gateway: '10.9.1.1' }), /invalid gateway/);
});

test('default pools skip used subnets and host routes', () => {
  const all = [...candidates(DEFAULT_ADDRESS_POOLS)];
  assert.equal(formatCidr(all[0]!), '172.17.0.0/16');
  assert.equal(formatCidr(all[15]!), '192.168.0.0/20');
  assert.equal(selectSubnet(DEFAULT_ADDRESS_POOLS, []), '172.17.0.0/16');
  assert.equal(selectSubnet(DEFAULT_ADDRESS_POOLS, [parseCidr('172.17.5.0/24'), parseCidr('172.16.0.0/12')]), '192.168.0.0/20');
  assert.equal(selectSubnet([{ base: '10.0.0.0/8', size: 24 }], [parseCidr('10.0.0.0/23')]), '10.0.2.0/24');
});

test('/proc/net/route parsing', () => {
  const text = 'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n'
    + 'eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n'
    + 'eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n'
    + 'skiff0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n';
  assert.deepEqual(parseProcRoutes(text, new Set(['skiff0'])).map(formatCidr), ['192.0.2.0/24']);
});

test('MAC derived from the address as Docker', () => {
  assert.equal(macFromIPv4(parseIPv4('172.17.0.2')), '02:42:ac:11:00:02');
});
