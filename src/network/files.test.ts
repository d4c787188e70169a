import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostsFile, resolvConf } from './files.js';
import { expandExtraHosts } from './sandbox-files.js';

const HOST = 'nameserver 127.0.0.53\nnameserver 10.0.0.2\nsearch example.org\noptions edns0\n';

test('hosts: localhost lines, extra hosts, own address and name', () => {
  const text = hostsFile({ hostname: 'web', domainname: 'lan', ip: '10.1.0.2', extraHosts: ['db:10.1.0.9', 'v6:[::1]'] });
  const lines = text.trimEnd().split('\n');
  assert.equal(lines[0], '127.0.0.1\tlocalhost');
  assert.ok(lines.includes('10.1.0.9\tdb'));
  assert.ok(lines.includes('::1\tv6'));
  assert.equal(lines.at(-1), '10.1.0.2\tweb.lan web');
});

test('host-gateway is replaced', () => {
  assert.deepEqual(expandExtraHosts(['h:host-gateway'], '172.17.0.1'), ['h:172.17.0.1']);
});

test('resolv.conf on the default bridge drops loopback servers', () => {
  const r = resolvConf({ host: HOST, override: {}, embeddedDns: false });
  assert.match(r.text, /^nameserver 10\.0\.0\.2$/m);
  assert.doesNotMatch(r.text, /127\.0\.0\.53/);
  assert.match(r.text, /^search example\.org$/m);
  assert.match(r.text, /^options edns0$/m);
});

test('resolv.conf falls back to public servers only when none remain', () => {
  const r = resolvConf({ host: 'nameserver 127.0.0.1\n', override: {}, embeddedDns: false });
  assert.match(r.text, /^nameserver 8\.8\.8\.8$/m);
  assert.match(r.text, /^nameserver 8\.8\.4\.4$/m);
});

test('resolv.conf with the embedded DNS: 127.0.0.11, ndots:0, host servers as upstreams', () => {
  const r = resolvConf({ host: HOST, override: {}, embeddedDns: true });
  assert.deepEqual(r.text.split('\n').filter((l) => l.startsWith('nameserver')), ['nameserver 127.0.0.11']);
  assert.match(r.text, /^options edns0 ndots:0$/m);
  assert.deepEqual(r.upstreams, ['127.0.0.53', '10.0.0.2']);
});

test('--dns, --dns-search, --dns-option replace the host values; "." clears search', () => {
  const r = resolvConf({ host: HOST, override: { servers: ['10.5.5.5'], search: ['.'], options: ['ndots:2'] }, embeddedDns: false });
  assert.match(r.text, /^nameserver 10\.5\.5\.5$/m);
  assert.doesNotMatch(r.text, /^search/m);
  assert.match(r.text, /^options ndots:2$/m);
  const e = resolvConf({ host: HOST, override: { options: ['ndots:3'] }, embeddedDns: true });
  assert.match(e.text, /^options ndots:3$/m);
});
