/** The iptables script: skiff's chains rewritten whole, jumps inserted once, everything removed with the last bridge. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chainPrefix, iptablesScript, parseSave } from './iptables-rules.js';
import type { FirewallState } from './nft-rules.js';

const state: FirewallState = {
  bridges: [
    { name: 'br-a', subnet: '10.1.0.0/24', internal: false, icc: true, masquerade: true },
    { name: 'br-b', subnet: '10.2.0.0/24', internal: true, icc: false, masquerade: true },
  ],
  ports: [
    { bridge: 'br-a', proto: 'tcp', hostIp: '0.0.0.0', hostPort: 8080, containerIp: '10.1.0.2', containerPort: 80 },
    { bridge: 'br-a', proto: 'udp', hostIp: '192.0.2.1', hostPort: 53, containerIp: '10.1.0.2', containerPort: 53 },
    { bridge: 'br-a', proto: 'tcp', hostIp: '127.0.0.1', hostPort: 9000, containerIp: '10.1.0.2', containerPort: 90 },
    { bridge: 'br-b', proto: 'tcp', hostIp: '0.0.0.0', hostPort: 9001, containerIp: '10.2.0.2', containerPort: 90 },
  ],
};

test('chain names fit iptables limits', () => {
  assert.equal(chainPrefix('skiff'), 'SKIFF');
  assert.ok(`${chainPrefix('skiff-a-very-long-table-name')}-POSTROUTING`.length <= 28);
});

test('first apply: chains, one jump each, rules', () => {
  const s = iptablesScript('SK', state, parseSave(''));
  for (const line of [
    '-I FORWARD 1 -j SK-FORWARD', '-I PREROUTING 1 -j SK-PREROUTING', '-I OUTPUT 1 -j SK-OUTPUT', '-I POSTROUTING 1 -j SK-POSTROUTING',
    '-A SK-FORWARD -i br-a -o br-b -j DROP', '-A SK-FORWARD -i br-b ! -o br-b -j DROP', '-A SK-FORWARD -i br-b -o br-b -j DROP',
    '-A SK-POSTROUTING -s 10.1.0.0/24 ! -o br-a -j MASQUERADE',
    '-A SK-PUBLISHED ! -i br-a -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.1.0.2:80',
    '-A SK-PUBLISHED -d 192.0.2.1/32 ! -i br-a -p udp -m udp --dport 53 -j DNAT --to-destination 10.1.0.2:53',
  ]) assert.ok(s.split('\n').includes(line), `missing ${line}\n${s}`);
  assert.doesNotMatch(s, /10\.2\.0\.0\/24 .*MASQUERADE|--dport 9000|--dport 9001/, 'no NAT for internal networks or loopback hosts');
});

test('re-apply: no second jump; last bridge gone: jumps and chains deleted', () => {
  const save = [
    '*filter', ':FORWARD ACCEPT [0:0]', ':SK-FORWARD - [0:0]', '-A FORWARD -j SK-FORWARD', 'COMMIT',
    '*nat', ':SK-PREROUTING - [0:0]', ':SK-OUTPUT - [0:0]', ':SK-POSTROUTING - [0:0]', ':SK-PUBLISHED - [0:0]',
    '-A PREROUTING -j SK-PREROUTING', '-A OUTPUT -j SK-OUTPUT', '-A POSTROUTING -j SK-POSTROUTING', 'COMMIT',
  ].join('\n');
  assert.doesNotMatch(iptablesScript('SK', state, parseSave(save)), /^-I /m);
  const down = iptablesScript('SK', { bridges: [], ports: [] }, parseSave(save)).split('\n');
  for (const line of ['-D FORWARD -j SK-FORWARD', '-X SK-FORWARD', '-D POSTROUTING -j SK-POSTROUTING', '-X SK-PUBLISHED']) assert.ok(down.includes(line), line);
  assert.equal(iptablesScript('SK', { bridges: [], ports: [] }, parseSave('')), '');
});
