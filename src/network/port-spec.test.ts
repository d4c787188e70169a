import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePortSpec, portBindingsFromSpecs, portRequests } from './port-spec.js';
import { PortAllocator } from './port-allocator.js';

test('-p forms', () => {
  assert.deepEqual(parsePortSpec('80'), [{ key: '80/tcp', binding: { HostIp: '', HostPort: '' } }]);
  assert.deepEqual(parsePortSpec('8080:80/udp'), [{ key: '80/udp', binding: { HostIp: '', HostPort: '8080' } }]);
  assert.deepEqual(parsePortSpec('127.0.0.1:8080:80'), [{ key: '80/tcp', binding: { HostIp: '127.0.0.1', HostPort: '8080' } }]);
  assert.deepEqual(parsePortSpec('127.0.0.1::80'), [{ key: '80/tcp', binding: { HostIp: '127.0.0.1', HostPort: '' } }]);
  assert.deepEqual(parsePortSpec('[::1]:8080:80'), [{ key: '80/tcp', binding: { HostIp: '::1', HostPort: '8080' } }]);
});

test('-p ranges', () => {
  assert.deepEqual(parsePortSpec('8000-8001:80-81').map((p) => [p.key, p.binding.HostPort]), [['80/tcp', '8000'], ['81/tcp', '8001']]);
  assert.deepEqual(parsePortSpec('8000-8010:80').map((p) => p.binding.HostPort), ['8000-8010']);
  assert.throws(() => parsePortSpec('8000-8002:80-81'), /invalid ranges/);
  assert.throws(() => parsePortSpec('80/icmp'), /invalid proto/);
  assert.throws(() => parsePortSpec('70000'), /invalid containerPort/);
});

test('publish-all adds exposed ports without bindings', () => {
  const b = portBindingsFromSpecs(['8080:80']);
  const r = portRequests(b, { '80/tcp': {}, '53/udp': {} }, true);
  assert.deepEqual(r.map((x) => [x.proto, x.containerPort, x.hostRange]), [['tcp', 80, [8080, 8080]], ['udp', 53, [0, 0]]]);
});

test('allocator: conflicts with Docker wording, 0.0.0.0 clashes with any address, random ports rotate', () => {
  const a = new PortAllocator([40000, 40002]);
  a.reserve('tcp', '0.0.0.0', 8080);
  assert.throws(() => a.reserve('tcp', '127.0.0.1', 8080), /Bind for 127\.0\.0\.1:8080 failed: port is already allocated/);
  a.reserve('udp', '0.0.0.0', 8080);
  a.reserve('tcp', '127.0.0.1', 9090);
  a.reserve('tcp', '127.0.0.2', 9090);
  assert.throws(() => a.reserve('tcp', '0.0.0.0', 9090), /already allocated/);
  assert.equal(a.reserveAny('tcp', '0.0.0.0'), 40000);
  assert.equal(a.reserveAny('tcp', '0.0.0.0'), 40001);
  a.release('tcp', '0.0.0.0', 40000);
  assert.equal(a.reserveAny('tcp', '0.0.0.0'), 40002);
  assert.equal(a.reserveAny('tcp', '0.0.0.0'), 40000);
  assert.throws(() => a.reserveAny('tcp', '0.0.0.0'), /no free host port/);
});
