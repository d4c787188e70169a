/** Host parsing, context resolution order, query encoding and version comparison. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareVersions, encodeQuery } from './client.js';
import { resolveContextName } from './connect.js';
import { parseHost } from './transport.js';

test('parseHost: unix, tcp default ports, bare host:port', () => {
  assert.deepEqual(parseHost('unix:///run/x.sock'), { host: 'unix:///run/x.sock', kind: 'unix', socketPath: '/run/x.sock' });
  assert.equal(parseHost('tcp://10.0.0.1').port, 2375);
  assert.equal(parseHost('10.0.0.1:1234').port, 1234);
  assert.equal(parseHost('').socketPath, '/run/skiff/skiff.sock');
  assert.throws(() => parseHost('ftp://x'), /^Error: invalid bind address format: ftp:\/\/x$/);
});

test("context resolution follows docker's order", () => {
  assert.equal(resolveContextName({ context: 'a' }, { currentContext: 'b' }, { DOCKER_CONTEXT: 'c' }), 'a');
  assert.equal(resolveContextName({ host: ['unix:///x'] }, { currentContext: 'b' }, {}), 'default');
  assert.equal(resolveContextName({}, { currentContext: 'b' }, { DOCKER_HOST: 'unix:///x', DOCKER_CONTEXT: 'c' }), 'default');
  assert.equal(resolveContextName({}, { currentContext: 'b' }, { DOCKER_CONTEXT: 'c' }), 'c');
  assert.equal(resolveContextName({}, { currentContext: 'b' }, {}), 'b');
  assert.equal(resolveContextName({}, {}, {}), 'default');
  assert.throws(() => resolveContextName({ context: 'a', host: ['x'] }, {}, {}), /cannot specify both --host and --context/);
});

test('encodeQuery and compareVersions', () => {
  assert.equal(encodeQuery({ all: true, n: 2, skip: undefined, names: ['a', 'b c'] }), '?all=1&n=2&names=a&names=b%20c');
  assert.equal(encodeQuery({}), '');
  assert.equal(compareVersions('1.41', '1.5'), 1);
  assert.equal(compareVersions('1.51', '1.51'), 0);
  assert.equal(compareVersions('1.24', '1.51'), -1);
});
