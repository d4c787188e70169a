/**
 * Interoperability with skopeo both ways through docker-registry: what skopeo pushes from an OCI
 * layout our client pulls and verifies; what our client pushes skopeo reads back unchanged.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { AnnotationRefName, MediaType } from '../../../src/oci/image-spec.js';
import { RegistryClient } from '../../../src/registry/client/index.js';
import { SKOPEO_BIN, collect, makeImage, startRegistry, tempDir, type RegistryProcess } from './fixtures.js';

const run = promisify(execFile);
let reg: RegistryProcess;
let work: string;
let client: RegistryClient;

before(async () => {
  reg = await startRegistry();
  work = await tempDir('skopeo');
  client = new RegistryClient({ certsDirs: [] });
});

after(async () => {
  client?.close();
  await reg?.stop();
  await rm(work, { recursive: true, force: true });
});

function skopeo(...args: string[]): Promise<{ stdout: string }> {
  // Our own policy-free, auth-file-free invocation: nothing from the host's setup leaks in.
  return run(SKOPEO_BIN, ['--insecure-policy', ...args], { env: { ...process.env, REGISTRY_AUTH_FILE: join(work, 'auth.json') }, maxBuffer: 16 << 20 });
}

test('skopeo pushes an OCI layout; our client pulls it', async () => {
  const img = await makeImage({ oci: true, content: 'from skopeo\n' });
  const layout = join(work, 'layout');
  await mkdir(join(layout, 'blobs/sha256'), { recursive: true });
  await writeFile(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  for (const [d, data] of [[img.configDesc, img.config], [img.layerDesc, img.layer], [img.manifestDesc, img.manifest]] as const) {
    await writeFile(join(layout, 'blobs/sha256', d.digest.slice(7)), data);
  }
  await writeFile(join(layout, 'index.json'), JSON.stringify({
    schemaVersion: 2, mediaType: MediaType.ociIndex,
    manifests: [{ ...img.manifestDesc, annotations: { [AnnotationRefName]: 'v1' } }],
  }));
  await skopeo('copy', '--dest-tls-verify=false', `oci:${layout}:v1`, `docker://${reg.host}/skopeo/pushed:v1`);
  const r = await client.resolve(`${reg.host}/skopeo/pushed:v1`);
  assert.equal(r.mediaType, MediaType.ociManifest);
  assert.deepEqual(r.manifest.layers.map((l) => l.digest), [img.layerDesc.digest]);
  assert.equal(r.manifest.config.digest, img.configDesc.digest);
  assert.deepEqual(await collect(await client.fetchBlob(r.name, r.manifest.config)), img.config);
  assert.deepEqual(await collect(await client.fetchBlob(r.name, r.manifest.layers[0]!)), img.layer);
});

test('our client pushes; skopeo reads the same manifest back', async () => {
  const img = await makeImage({ content: 'from skiff\n' });
  for (const [d, data] of [[img.configDesc, img.config], [img.layerDesc, img.layer]] as const) {
    await client.pushBlob(`${reg.host}/skiff/pushed`, d, () => Readable.from([data]));
  }
  const digest = await client.pushManifest(`${reg.host}/skiff/pushed:v1`, img.manifest, img.manifestDesc.mediaType);
  const raw = await skopeo('inspect', '--tls-verify=false', '--raw', `docker://${reg.host}/skiff/pushed:v1`);
  assert.equal(raw.stdout, img.manifest.toString());
  const info = JSON.parse((await skopeo('inspect', '--tls-verify=false', `docker://${reg.host}/skiff/pushed:v1`)).stdout) as { Digest: string; Layers: string[]; Architecture: string; Os: string };
  assert.equal(info.Digest, digest);
  assert.deepEqual(info.Layers, [img.layerDesc.digest]);
  assert.equal(info.Architecture, 'amd64');
  assert.equal(info.Os, 'linux');
  // And skopeo can copy it out, verifying every blob on its side.
  await skopeo('copy', '--src-tls-verify=false', `docker://${reg.host}/skiff/pushed:v1`, `oci:${join(work, 'out')}:v1`);
});
