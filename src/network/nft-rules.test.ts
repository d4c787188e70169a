import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nftScript } from './nft-rules.js';

const state = {
  bridges: [
    { name: 'br-a', subnet: '10.1.0.0/24', internal: false, icc: true, masquerade: true },
    { name: 'br-b', subnet: '10.2.0.0/24', internal: true, icc: false, masquerade: true },
  ],
  ports: [
    { bridge: 'br-a', proto: 'tcp' as const, hostIp: '0.0.0.0', hostPort: 8080, containerIp: '10.1.0.2', containerPort: 80 },
    { bridge: 'br-a', proto: 'udp' as const, hostIp: '192.0.2.7', hostPort: 53, containerIp: '10.1.0.2', containerPort: 53 },
    { bridge: 'br-a', proto: 'tcp' as const, hostIp: '127.0.0.1', hostPort: 9000, containerIp: '10.1.0.2', containerPort: 90 },
  ],
};

test('the script replaces only its own table, atomically', () => {
  const s = nftScript('skiff', state);
  const lines = s.split('\n');
  assert.deepEqual(lines.slice(0, 3), ['table ip skiff', 'delete table ip skiff', 'table ip skiff {']);
  assert.doesNotMatch(s, /table (inet|ip6|bridge|ip (?!skiff))/);
});

test('isolation, internal and icc rules', () => {
  const s = nftScript('skiff', state);
  assert.match(s, /iifname "br-a" oifname \{ "br-b" \} drop/);
  assert.match(s, /iifname "br-b" oifname != "br-b" drop/);
  assert.match(s, /oifname "br-b" iifname != "br-b" drop/);
  assert.match(s, /iifname "br-b" oifname "br-b" drop/);
  assert.doesNotMatch(s, /iifname "br-a" oifname "br-a" drop/);
});

test('masquerade for non-internal subnets only', () => {
  const s = nftScript('skiff', state);
  assert.match(s, /ip saddr 10\.1\.0\.0\/24 oifname != "br-a" masquerade/);
  assert.doesNotMatch(s, /10\.2\.0\.0\/24 .*masquerade/);
});

test('DNAT for published ports, none for loopback bindings', () => {
  const s = nftScript('skiff', state);
  assert.match(s, /iifname != "br-a" tcp dport 8080 dnat to 10\.1\.0\.2:80/);
  assert.match(s, /iifname != "br-a" ip daddr 192\.0\.2\.7 udp dport 53 dnat to 10\.1\.0\.2:53/);
  assert.doesNotMatch(s, /dport 9000/);
  assert.match(s, /fib daddr type local jump published/);
});

test('no bridge left: the table is deleted', () => {
  assert.equal(nftScript('skiff-t', { bridges: [], ports: [] }), 'table ip skiff-t\ndelete table ip skiff-t\n');
});
