/**
 * Push and pull against Debian's docker-registry over plain HTTP on 127.0.0.1 (loopback is an
 * insecure registry by default, as in Docker): manifests round-trip byte for byte, blobs are
 * verified, indexes select a platform, tampered storage is caught, chunked upload and
 * cross-repository mount work, and pulls land in the content store through writeBlob.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, chmod, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { EngineError } from '../../../src/common/errors.js';
import { LocalStore, writeBlob, readBlob } from '../../../src/containerd/content/index.js';
import { digestOf } from '../../../src/containerd/content/digest.js';
import { MediaType, type Index } from '../../../src/oci/image-spec.js';
import { RegistryClient } from '../../../src/registry/client/index.js';
import { collect, makeImage, registryBlobPath, startRegistry, tempDir, type RegistryProcess, type TestImage } from './fixtures.js';

let reg: RegistryProcess;
let client: RegistryClient;

before(async () => {
  reg = await startRegistry();
  client = new RegistryClient({ certsDirs: [] });
});

after(async () => {
  client?.close();
  await reg?.stop();
});

async function pushImage(repo: string, img: TestImage, tag?: string): Promise<string> {
  for (const [desc, data] of [[img.configDesc, img.config], [img.layerDesc, img.layer]] as const) {
    await client.pushBlob(`${reg.host}/${repo}`, desc, () => Readable.from([data]));
  }
  return client.pushManifest(`${reg.host}/${repo}${tag ? `:${tag}` : ''}`, img.manifest, img.manifestDesc.mediaType);
}

test('push an image, then resolve and pull it back unchanged', async () => {
  const img = await makeImage();
  const digest = await pushImage('skiff/hello', img, 'v1');
  assert.equal(digest, img.manifestDesc.digest);
  const r = await client.resolve(`${reg.host}/skiff/hello:v1`);
  assert.equal(r.digest, img.manifestDesc.digest);
  assert.equal(r.mediaType, MediaType.dockerManifest);
  assert.deepEqual(r.raw, img.manifest);
  assert.equal(r.indexDigest, undefined);
  assert.equal(r.name.toString(), `${reg.host}/skiff/hello@${digest}`);
  assert.deepEqual(await collect(await client.fetchBlob(r.name, r.manifest.config)), img.config);
  assert.deepEqual(await collect(await client.fetchBlob(r.name, r.manifest.layers[0]!)), img.layer);
  assert.equal(await client.blobExists(`${reg.host}/skiff/hello`, img.layerDesc), true);
  assert.equal(await client.blobExists(`${reg.host}/skiff/hello`, { digest: digestOf('absent') }), false);
  const head = await client.head(`${reg.host}/skiff/hello:v1`);
  assert.deepEqual(head, { mediaType: MediaType.dockerManifest, digest, size: img.manifest.length });
  const byDigest = await client.fetchManifest(`${reg.host}/skiff/hello@${digest}`);
  assert.deepEqual(byDigest.raw, img.manifest);
});

test('a missing tag is not-found with Docker\'s wording', async () => {
  await assert.rejects(client.resolve(`${reg.host}/skiff/hello:nope`), (e: unknown) => {
    assert.ok(e instanceof EngineError);
    assert.equal(e.kind, 'not-found');
    assert.match(e.message, /^manifest for 127\.0\.0\.1:\d+\/skiff\/hello:nope not found: manifest unknown/);
    return true;
  });
});

test('a multi-arch index selects linux/amd64 or linux/arm64', async () => {
  const amd = await makeImage({ arch: 'amd64', oci: true });
  const arm = await makeImage({ arch: 'arm64', oci: true });
  await pushImage('skiff/multi', amd);
  await pushImage('skiff/multi', arm);
  const index: Index = {
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: [
      { ...amd.manifestDesc, platform: { os: 'linux', architecture: 'amd64' } },
      { ...arm.manifestDesc, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    ],
  };
  const raw = Buffer.from(JSON.stringify(index));
  const indexDigest = await client.pushManifest(`${reg.host}/skiff/multi:latest`, raw, MediaType.ociIndex);
  const a = await client.resolve(`${reg.host}/skiff/multi`, { platform: { os: 'linux', architecture: 'amd64' } });
  assert.equal(a.digest, amd.manifestDesc.digest);
  assert.equal(a.indexDigest, indexDigest);
  assert.deepEqual(a.index?.raw, raw);
  const b = await client.resolve(`${reg.host}/skiff/multi`, { platform: { os: 'linux', architecture: 'aarch64' } });
  assert.equal(b.digest, arm.manifestDesc.digest);
  assert.deepEqual(b.raw, arm.manifest);
  await assert.rejects(client.resolve(`${reg.host}/skiff/multi`, { platform: { os: 'linux', architecture: 's390x' } }), {
    message: 'no matching manifest for linux/s390x in the manifest list entries',
  });
});

test('a blob tampered with in the registry\'s storage is rejected', async () => {
  const img = await makeImage({ content: 'to be tampered with\n' });
  await pushImage('skiff/tamper', img, 'v1');
  const path = registryBlobPath(reg.storage, img.layerDesc.digest);
  const data = await readFile(path);
  data[data.length - 5] = (data[data.length - 5] ?? 0) ^ 0xff; // same size, different bytes
  await chmod(path, 0o644);
  await writeFile(path, data);
  const stream = await client.fetchBlob(`${reg.host}/skiff/tamper`, img.layerDesc);
  await assert.rejects(collect(stream), (e: unknown) => e instanceof EngineError && e.kind === 'failed-precondition' && /digest verification failed/.test(e.message));
  // The content store refuses it as well, and keeps nothing.
  const root = await tempDir('content');
  try {
    const store = new LocalStore(root);
    const source = await client.blobSource(`${reg.host}/skiff/tamper`, img.layerDesc);
    await assert.rejects(writeBlob(store, 'layer', source, img.layerDesc), (e: unknown) => e instanceof EngineError && e.kind === 'failed-precondition');
    await assert.rejects(store.info(img.layerDesc.digest), (e: unknown) => e instanceof EngineError && e.kind === 'not-found');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('chunked upload (PATCH with Content-Range, then PUT)', async () => {
  const img = await makeImage({ content: 'x'.repeat(20_000) + Math.random() });
  let opened = 0;
  const big = Buffer.concat([img.layer, Buffer.alloc(0)]);
  await client.pushBlob(`${reg.host}/skiff/chunked`, img.layerDesc, () => {
    opened++;
    return Readable.from((function* () { for (let i = 0; i < big.length; i += 333) yield big.subarray(i, i + 333); })());
  }, { chunkSize: 1000 });
  assert.equal(opened, 1);
  assert.deepEqual(await collect(await client.fetchBlob(`${reg.host}/skiff/chunked`, img.layerDesc)), img.layer);
});

test('cross-repository mount uploads nothing', async () => {
  const img = await makeImage({ content: 'mount me\n' });
  await pushImage('skiff/source', img, 'v1');
  await client.pushBlob(`${reg.host}/skiff/target`, img.layerDesc, () => assert.fail('upload instead of mount'), { mountFrom: `${reg.host}/skiff/source` });
  assert.equal(await client.blobExists(`${reg.host}/skiff/target`, img.layerDesc), true);
  // A blob the source repository lacks falls back to an upload.
  const other = await makeImage({ content: 'not in source\n' });
  let opened = 0;
  await client.pushBlob(`${reg.host}/skiff/target`, other.layerDesc, () => { opened++; return Readable.from([other.layer]); }, { mountFrom: `${reg.host}/skiff/source` });
  assert.equal(opened, 1);
  assert.equal(await client.blobExists(`${reg.host}/skiff/target`, other.layerDesc), true);
});

test('pull into the content store with writeBlob', async () => {
  const img = await makeImage({ content: 'into the store\n' });
  await pushImage('skiff/store', img, 'v1');
  const root = await tempDir('content');
  try {
    const store = new LocalStore(root);
    const r = await client.resolve(`${reg.host}/skiff/store:v1`);
    for (const d of [r.manifest.config, ...r.manifest.layers]) {
      await writeBlob(store, `pull-${d.digest}`, await client.blobSource(r.name, d), d);
    }
    assert.deepEqual(await readBlob(store, r.manifest.config), img.config);
    assert.equal((await store.info(img.layerDesc.digest)).size, img.layer.length);
    // Resume: an ingest left at an offset continues with a Range request.
    await store.delete(img.layerDesc.digest);
    const w = await store.writer({ ref: 'resume', desc: img.layerDesc });
    await w.write(img.layer.subarray(0, 10));
    await w.close();
    let from = -1;
    const src = await client.blobSource(r.name, img.layerDesc);
    await writeBlob(store, 'resume', async (offset) => { const s = await src(offset); from = s.offset; return s; }, img.layerDesc);
    assert.equal(from, 10);
    assert.equal((await store.info(img.layerDesc.digest)).size, img.layer.length);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('pushing a manifest that references a missing blob is refused', async () => {
  const img = await makeImage({ content: 'never uploaded\n' });
  await assert.rejects(client.pushManifest(`${reg.host}/skiff/broken:v1`, img.manifest, img.manifestDesc.mediaType), (e: unknown) => {
    assert.ok(e instanceof EngineError);
    assert.equal(e.kind, 'invalid-argument');
    assert.match(e.message, /manifest blob unknown/);
    return true;
  });
});
