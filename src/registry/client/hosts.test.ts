import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineError } from '../../common/errors.js';
import { RegistryHosts, authServerAddress, cidrContains, hostOnly, registryHost } from './hosts.js';

test('Docker Hub names map to its API host and auth key', () => {
  assert.equal(registryHost('docker.io'), 'registry-1.docker.io');
  assert.equal(registryHost('quay.io'), 'quay.io');
  assert.equal(authServerAddress('docker.io'), 'https://index.docker.io/v1/');
  assert.equal(authServerAddress('localhost:5000'), 'localhost:5000');
});

test('CIDR matching for IPv4 and IPv6', () => {
  assert.ok(cidrContains('127.0.0.0/8', '127.1.2.3'));
  assert.ok(!cidrContains('127.0.0.0/8', '128.0.0.1'));
  assert.ok(cidrContains('10.0.0.0/8', '10.255.0.1'));
  assert.ok(cidrContains('::1/128', '::1'));
  assert.ok(cidrContains('fd00::/8', 'fd12:3456::1'));
  assert.ok(!cidrContains('fd00::/8', 'fe80::1'));
  assert.ok(!cidrContains('127.0.0.0/8', '::1'));
  assert.equal(hostOnly('[::1]:5000'), '::1');
  assert.equal(hostOnly('example.com:5000'), 'example.com');
  assert.equal(hostOnly('example.com'), 'example.com');
});

test('insecure registries: loopback by default, names and CIDRs when listed', async () => {
  const h = new RegistryHosts({ insecureRegistries: ['myreg:5000', '10.1.0.0/16'], certsDirs: [] });
  assert.equal(await h.isInsecure('127.0.0.1:5000'), true);
  assert.equal(await h.isInsecure('localhost:5000'), true);
  assert.equal(await h.isInsecure('[::1]:5000'), true);
  assert.equal(await h.isInsecure('myreg:5000'), true);
  assert.equal(await h.isInsecure('10.1.2.3:443'), true);
  assert.equal(await h.isInsecure('10.2.0.1'), false);
  const eps = await h.endpoints('127.0.0.1:5000', 'pull');
  assert.deepEqual(eps.map((e) => e.url.href), ['https://127.0.0.1:5000/', 'http://127.0.0.1:5000/']);
  assert.equal(eps[0]?.tls?.rejectUnauthorized, false);
  const secure = await h.endpoints('10.2.0.1:5000', 'push');
  assert.deepEqual(secure.map((e) => e.url.href), ['https://10.2.0.1:5000/']);
  assert.equal(secure[0]?.tls?.rejectUnauthorized, true);
});

test('mirrors serve Docker Hub pulls only, before the hub', async () => {
  const h = new RegistryHosts({ mirrors: ['https://mirror.example:5000'], insecureRegistries: ['mirror.example:5000', 'registry-1.docker.io'], certsDirs: [] });
  assert.deepEqual((await h.endpoints('docker.io', 'pull')).map((e) => [e.url.href, e.mirror]), [
    ['https://mirror.example:5000/', true], ['https://registry-1.docker.io/', false], ['http://registry-1.docker.io/', false],
  ]);
  assert.deepEqual((await h.endpoints('docker.io', 'push')).map((e) => e.url.href), ['https://registry-1.docker.io/', 'http://registry-1.docker.io/']);
  assert.throws(() => new RegistryHosts({ mirrors: ['ftp://x'] }), (e: unknown) => e instanceof EngineError && e.kind === 'invalid-argument');
  assert.throws(() => new RegistryHosts({ mirrors: ['https://x/path'] }), (e: unknown) => e instanceof EngineError && e.kind === 'invalid-argument');
});

test('certs.d: CAs from *.crt, client pairs from *.cert + *.key', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-certs-'));
  try {
    await mkdir(join(dir, 'a', 'reg:5000'), { recursive: true });
    await mkdir(join(dir, 'b', 'reg:5000'), { recursive: true });
    await writeFile(join(dir, 'a', 'reg:5000', 'ca.crt'), 'CA-A');
    await writeFile(join(dir, 'b', 'reg:5000', 'ca.crt'), 'CA-B');
    await writeFile(join(dir, 'b', 'reg:5000', 'client.cert'), 'CERT');
    await writeFile(join(dir, 'b', 'reg:5000', 'client.key'), 'KEY');
    const h = new RegistryHosts({ certsDirs: [join(dir, 'a'), join(dir, 'b')] });
    const tls = await h.tlsFor('reg:5000', false);
    assert.deepEqual(tls.ca?.map(String), ['CA-A', 'CA-B']);
    assert.equal(String(tls.cert), 'CERT');
    assert.equal(String(tls.key), 'KEY');
    await writeFile(join(dir, 'a', 'reg:5000', 'lonely.cert'), 'X');
    await assert.rejects(h.tlsFor('reg:5000', false), { message: /missing key lonely.key/ });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
