/**
 * docker-registry with TLS (a CA made here) and htpasswd basic auth: credentials from a Docker
 * config file, clear 'unauthorized' errors, login, and TLS verification with the CA from a
 * certs.d directory.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, copyFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { EngineError } from '../../../src/common/errors.js';
import { DockerConfigCredentials, RegistryClient, StaticCredentials } from '../../../src/registry/client/index.js';
import { Transport } from '../../../src/registry/client/http.js';
import { RegistryHosts } from '../../../src/registry/client/hosts.js';
import { collect, htpasswdLine, makeCerts, makeImage, startRegistry, tempDir, type RegistryProcess } from './fixtures.js';

let reg: RegistryProcess;
let work: string;
let certsDir: string;

before(async () => {
  work = await tempDir('registry-auth');
  const certs = makeCerts(work);
  reg = await startRegistry({ tls: certs, htpasswd: htpasswdLine('alice', 's3cret') });
  certsDir = join(work, 'certs.d');
  await mkdir(join(certsDir, reg.host), { recursive: true });
  await copyFile(certs.caCert, join(certsDir, reg.host, 'ca.crt'));
  const dockerDir = join(work, 'docker');
  await mkdir(dockerDir);
  await writeFile(join(dockerDir, 'config.json'), JSON.stringify({
    auths: { [`https://${reg.host}`]: { auth: Buffer.from('alice:s3cret').toString('base64') } },
  }));
});

after(async () => {
  await reg?.stop();
  await rm(work, { recursive: true, force: true });
});

test('push and pull with credentials from a Docker config file', async () => {
  const client = new RegistryClient({ certsDirs: [certsDir], credentials: new DockerConfigCredentials({ configDir: join(work, 'docker'), env: {} }) });
  try {
    const img = await makeImage({ content: 'secret image\n' });
    for (const [d, data] of [[img.configDesc, img.config], [img.layerDesc, img.layer]] as const) {
      await client.pushBlob(`${reg.host}/private/app`, d, () => Readable.from([data]));
    }
    await client.pushManifest(`${reg.host}/private/app:v1`, img.manifest, img.manifestDesc.mediaType);
    const r = await client.resolve(`${reg.host}/private/app:v1`);
    assert.deepEqual(r.raw, img.manifest);
    assert.deepEqual(await collect(await client.fetchBlob(r.name, img.layerDesc)), img.layer);
  } finally {
    client.close();
  }
});

test('no or wrong credentials give a clear unauthorized error', async () => {
  for (const credentials of [undefined, new StaticCredentials({ [reg.host]: { username: 'alice', password: 'wrong' } })]) {
    const client = new RegistryClient({ certsDirs: [certsDir], ...(credentials ? { credentials } : {}) });
    try {
      await assert.rejects(client.resolve(`${reg.host}/private/app:v1`), (e: unknown) => {
        assert.ok(e instanceof EngineError);
        assert.equal(e.kind, 'unauthorized');
        assert.match(e.message, /unauthorized: authentication required/);
        return true;
      });
    } finally {
      client.close();
    }
  }
});

test('login checks the credentials against /v2/', async () => {
  const client = new RegistryClient({ certsDirs: [certsDir] });
  try {
    assert.deepEqual(await client.login(`https://${reg.host}`, 'alice', 's3cret'), { status: 'Login Succeeded' });
    await assert.rejects(client.login(reg.host, 'alice', 'nope'), (e: unknown) => {
      assert.ok(e instanceof EngineError);
      assert.equal(e.kind, 'unauthorized');
      assert.match(e.message, /login attempt to https:\/\/127\.0\.0\.1:\d+\/v2\/ failed with status: 401 Unauthorized/);
      return true;
    });
  } finally {
    client.close();
  }
});

test('TLS is verified against the CA from certs.d (and fails without it)', async () => {
  const hosts = new RegistryHosts({ certsDirs: [certsDir] });
  const tls = await hosts.tlsFor(reg.host, false);
  assert.equal(tls.ca?.length, 1);
  const transport = new Transport({ userAgent: 'skiff-test', attempts: 1 });
  try {
    const ok = await transport.request({ method: 'GET', url: new URL(`https://${reg.host}/v2/`), tls });
    ok.body.resume();
    assert.equal(ok.status, 401);
    await assert.rejects(
      transport.request({ method: 'GET', url: new URL(`https://${reg.host}/v2/x`), tls: { rejectUnauthorized: true } }),
      (e: unknown) => e instanceof EngineError && e.kind === 'unavailable' && /certificate/i.test(e.message),
    );
  } finally {
    transport.close();
  }
});
