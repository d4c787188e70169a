/** docker's container flag value parsers: ports, sizes, durations, restart, ulimits, mounts, env. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { durationNs, parseEnv, parseMount, parsePorts, parseUlimit, ramInBytes, restartPolicy } from './values.js';

test('ports', () => {
  assert.deepEqual(parsePorts('8080:80'), [{ exposed: '80/tcp', binding: { HostIp: '', HostPort: '8080' } }]);
  assert.deepEqual(parsePorts('127.0.0.1:53:53/udp'), [{ exposed: '53/udp', binding: { HostIp: '127.0.0.1', HostPort: '53' } }]);
  assert.deepEqual(parsePorts('80'), [{ exposed: '80/tcp', binding: { HostIp: '', HostPort: '' } }]);
  assert.deepEqual(parsePorts('8000-8001:80-81').map((p) => [p.exposed, p.binding!.HostPort]), [['80/tcp', '8000'], ['81/tcp', '8001']]);
});

test('sizes, durations, restart, ulimit, env, mount', () => {
  assert.equal(ramInBytes('512m'), 512 * 1024 * 1024);
  assert.equal(ramInBytes('1g'), 1024 ** 3);
  assert.equal(ramInBytes('100'), 100);
  assert.equal(durationNs('1m30s'), 90e9);
  assert.equal(durationNs('500ms'), 500e6);
  assert.throws(() => durationNs('5x'));
  assert.deepEqual(restartPolicy('on-failure:3'), { Name: 'on-failure', MaximumRetryCount: 3 });
  assert.throws(() => restartPolicy('sometimes'), /invalid restart policy/);
  assert.deepEqual(parseUlimit('nofile=1024:2048'), { Name: 'nofile', Soft: 1024, Hard: 2048 });
  assert.deepEqual(parseEnv(['A=1', 'HOME_X', 'B'], { B: '2' }), ['A=1', 'B=2']);
  assert.deepEqual(parseMount('type=bind,source=/a,target=/b,readonly'), { Type: 'bind', Source: '/a', Target: '/b', ReadOnly: true });
});
