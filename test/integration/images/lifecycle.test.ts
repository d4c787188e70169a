/**
 * The images service without a registry round trip for each case: tag and rmi with Docker's
 * rules and messages, import of a rootfs tar, save → load (ours and skopeo's docker-archive both
 * ways), prune, garbage collection removing exactly the unreferenced blobs and snapshots, and
 * listing 500 images from memory.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EngineError } from '../../../src/common/errors.js';
import { parseDockerRef, parseNormalizedNamed } from '../../../src/registry/reference/index.js';
import { busyboxTar, buildImage, isRoot, makeEnv, pushBuilt, recorder, startRegistry, tarOf, SKOPEO_BIN, type Env, type RegistryProcess } from './helpers.js';
import { tempDir } from '../../helpers/rootfs.js';

let reg: RegistryProcess;
let env: Env;
let work: string;

before(async () => {
  reg = await startRegistry();
  env = await makeEnv();
  work = tempDir('skiff-images-work-');
});

after(async () => {
  rmSync(work, { recursive: true, force: true });
  await env?.close();
  await reg?.stop();
});

const rejectsWith = (p: Promise<unknown>, kind: string, message: string | RegExp) => assert.rejects(p, (e: unknown) => {
  assert.ok(e instanceof EngineError, String(e));
  assert.equal(e.kind, kind);
  if (typeof message === 'string') assert.equal(e.message, message);
  else assert.match(e.message, message);
  return true;
});

test('import a rootfs tar with changes and a message', { skip: !isRoot && 'needs root' }, async () => {
  const rec = recorder();
  const id = await env.svc.import({
    source: '-', body: Readable.from([busyboxTar()]), ref: parseDockerRef('imported:v1'),
    changes: ['CMD ["/bin/sh"]', 'ENV A=1 B=two', 'EXPOSE 80', 'LABEL x=y', 'WORKDIR /tmp'], message: 'hello',
  }, rec);
  assert.deepEqual(rec.msgs, [{ status: id }]);
  const ins = await env.svc.inspect('imported:v1', '1.51');
  assert.equal(ins.Id, id);
  assert.deepEqual(ins.Config.Cmd, ['/bin/sh']);
  assert.deepEqual(ins.Config.Env, ['A=1', 'B=two']);
  assert.deepEqual(ins.Config.ExposedPorts, { '80/tcp': {} });
  assert.deepEqual(ins.Config.Labels, { x: 'y' });
  assert.equal(ins.Config.WorkingDir, '/tmp');
  assert.equal(env.svc.history('imported:v1')[0]!.Comment, 'hello');
  assert.ok(ins.Size > 1_000_000);
  await rejectsWith(env.svc.import({ source: '-', body: Readable.from([Buffer.alloc(0)]), changes: ['RUN x'] }, rec), 'invalid-argument', 'RUN is not a valid change command');
});

test('tag and rmi: Docker rules and messages', { skip: !isRoot && 'needs root' }, async () => {
  const img = buildImage([await tarOf([{ name: 'a.txt', content: 'rmi' }])]);
  await pushBuilt(env.registry, `${reg.host}/rmi`, 'latest', img);
  await env.svc.pull({ ref: parseDockerRef(`${reg.host}/rmi`) }, recorder());
  const short = img.configDigest.slice(7, 19);
  await env.svc.tag(`${reg.host}/rmi`, 'other/name', 'x');
  await env.svc.tag(short, 'other/name');
  assert.deepEqual(env.svc.get('other/name:x').repoTags, [`${reg.host}/rmi:latest`, 'other/name:latest', 'other/name:x']);
  await rejectsWith(env.svc.tag('nope', 'a'), 'not-found', 'No such image: nope:latest');
  await rejectsWith(env.svc.tag(short, 'UPPER'), 'invalid-argument', /must be lowercase/);
  await rejectsWith(env.svc.remove(short), 'conflict', `conflict: unable to delete ${short} (must be forced) - image is referenced in multiple repositories`);
  assert.deepEqual(await env.svc.remove('other/name:x'), [{ Untagged: 'other/name:x' }]);
  env.svc.setUsage({ containersUsing: (id) => (id === img.configDigest ? ['c0ffee0000000000aaaa'] : []) });
  assert.deepEqual(await env.svc.remove('other/name'), [{ Untagged: 'other/name:latest' }]);
  await rejectsWith(env.svc.remove(`${reg.host}/rmi`), 'conflict', `conflict: unable to remove repository reference "${reg.host}/rmi" (must force) - container c0ffee000000 is using its referenced image ${short}`);
  await rejectsWith(env.svc.remove(short), 'conflict', `conflict: unable to delete ${short} (must be forced) - image is being used by stopped container c0ffee000000`);
  env.svc.setUsage({ containersUsing: () => [] });
  const out = await env.svc.remove(`${reg.host}/rmi`);
  assert.deepEqual(out, [{ Untagged: `${reg.host}/rmi:latest` }, { Untagged: `${reg.host}/rmi@${img.manifestDigest}` }, { Deleted: img.configDigest }]);
  await rejectsWith(env.svc.remove(short), 'not-found', `No such image: ${short}`);
  assert.equal(await env.content.info(img.layers[0]!.desc.digest).then(() => true, () => false), false);
});

test('save → load round trip, and skopeo reads and writes docker-archive', { skip: !isRoot && 'needs root' }, async () => {
  const img = buildImage([await tarOf([{ name: 'base.txt', content: 'base' }]), await tarOf([{ name: 'top.txt', content: 'top' }])]);
  await pushBuilt(env.registry, `${reg.host}/saved`, 'v1', img);
  await env.svc.pull({ ref: parseDockerRef(`${reg.host}/saved:v1`) }, recorder());
  const file = join(work, 'saved.tar');
  await env.svc.save(env.svc.prepareSave([`${reg.host}/saved:v1`]), createWriteStream(file));
  const listing = execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).split('\n');
  for (const f of ['index.json', 'manifest.json', 'oci-layout', 'repositories', `blobs/sha256/${img.manifestDigest.slice(7)}`]) assert.ok(listing.includes(f), f);

  await env.svc.remove(`${reg.host}/saved:v1`);
  const rec = recorder();
  const ids = await env.svc.load(createReadStream(file), rec);
  assert.deepEqual(ids, [img.configDigest]);
  assert.deepEqual(rec.msgs, [{ stream: `Loaded image: ${reg.host}/saved:v1\n` }]);
  assert.equal(env.svc.get(`${reg.host}/saved:v1`).manifestDesc.digest, img.manifestDigest);

  if (!existsSync(SKOPEO_BIN)) return;
  const oci = join(work, 'oci');
  execFileSync(SKOPEO_BIN, ['copy', '--quiet', `docker-archive:${file}`, `oci:${oci}:x`]);
  assert.ok(existsSync(join(oci, 'index.json')));
  const fromSkopeo = join(work, 'skopeo.tar');
  execFileSync(SKOPEO_BIN, ['copy', '--quiet', `oci:${oci}:x`, `docker-archive:${fromSkopeo}:skopeo/made:v2`]);
  const rec2 = recorder();
  const ids2 = await env.svc.load(createReadStream(fromSkopeo), rec2);
  // skopeo re-serialises the config, so the id differs; the layers must not.
  assert.equal(ids2.length, 1);
  assert.deepEqual(rec2.msgs, [{ stream: 'Loaded image: skopeo/made:v2\n' }]);
  assert.deepEqual(env.svc.get('skopeo/made:v2').config.rootfs.diff_ids, img.layers.map((l) => l.diffId));
  assert.equal(readFileSync(file).length > 0, true);
  await rejectsWith(env.svc.load(Readable.from([Buffer.alloc(1024)]), recorder()), 'invalid-argument', 'invalid archive: does not contain a manifest.json');
});

test('prune removes dangling images; GC removes exactly the unreferenced blobs and snapshots', { skip: !isRoot && 'needs root' }, async () => {
  const shared = await tarOf([{ name: 'shared.txt', content: 'shared' }]);
  const a = buildImage([shared, await tarOf([{ name: 'a', content: 'a' }])]);
  const b = buildImage([shared, await tarOf([{ name: 'b', content: 'b' }])]);
  await pushBuilt(env.registry, `${reg.host}/gc`, 'a', a);
  await pushBuilt(env.registry, `${reg.host}/gc`, 'b', b);
  await env.svc.pull({ ref: parseDockerRef(`${reg.host}/gc:a`) }, recorder());
  await env.svc.pull({ ref: parseDockerRef(`${reg.host}/gc:b`) }, recorder());
  // Leave image a with one tag, then move that tag to b: a becomes dangling, as in Docker.
  await env.svc.tag(a.configDigest, 'dang:1');
  assert.deepEqual(await env.svc.remove(`${reg.host}/gc:a`), [{ Untagged: `${reg.host}/gc:a` }, { Untagged: `${reg.host}/gc@${a.manifestDigest}` }]);
  await env.svc.tag(b.configDigest, 'dang:1');
  const dangling = env.svc.list({ filters: new Map([['dangling', ['true']]]), version: '1.51' });
  assert.deepEqual(dangling.map((s) => s.Id), [a.configDigest]);
  const before = (await env.snapshotter.walk()).map((s) => s.name);
  const report = await env.svc.prune(new Map());
  assert.deepEqual(report.ImagesDeleted, [{ Deleted: a.configDigest }]);
  assert.ok(report.SpaceReclaimed > 0);
  for (const d of [a.layers[1]!.desc.digest, a.configDigest, a.manifestDigest]) assert.equal(await env.content.info(d).then(() => 1, () => 0), 0, d);
  for (const d of [b.layers[0]!.desc.digest, b.layers[1]!.desc.digest, b.configDigest, b.manifestDigest]) assert.equal(await env.content.info(d).then(() => 1, () => 0), 1, d);
  const after = (await env.snapshotter.walk()).map((s) => s.name);
  assert.deepEqual(before.filter((n) => !after.includes(n)).length, 1);
  const again = await env.svc.gc();
  assert.deepEqual(again, { blobsRemoved: [], snapshotsRemoved: [], bytesRemoved: 0 });
});

test('listing 500 images takes under 50 ms', { skip: !isRoot && 'needs root' }, async () => {
  const img = buildImage([await tarOf([{ name: 'x', content: 'x' }])]);
  await pushBuilt(env.registry, `${reg.host}/many`, 'latest', img);
  await env.svc.pull({ ref: parseDockerRef(`${reg.host}/many`) }, recorder());
  // Synthetic images: distinct configs over the same layer, each with its manifest and a tag.
  const records = [];
  const ctx = env.svc.ctx;
  const { putBlob } = await import('../../../src/services/images/pull.js');
  for (let i = 0; i < 500; i++) {
    const v = buildImage([await tarOf([{ name: 'x', content: 'x' }])], { config: { Labels: { n: String(i) } }, created: new Date(Date.UTC(2020, 0, 1, 0, 0, i)).toISOString() });
    await putBlob(ctx, { digest: v.configDigest, size: v.config.length }, v.config);
    await putBlob(ctx, { digest: v.manifestDigest, size: v.manifest.length }, v.manifest);
    records.push({ name: parseNormalizedNamed(`synthetic/img${i}:latest`).toString(), target: { mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest: v.manifestDigest, size: v.manifest.length }, labels: {} });
  }
  await ctx.index.put(records);
  const t0 = performance.now();
  const all = env.svc.list({ filters: new Map(), version: '1.51' });
  const t1 = performance.now();
  assert.ok(all.length >= 501);
  assert.ok(t1 - t0 < 50, `list took ${t1 - t0} ms`);
  const filtered = env.svc.list({ filters: new Map([['reference', ['synthetic/img1*']], ['label', ['n']]]), version: '1.51' });
  assert.equal(filtered.length, 111);
});
