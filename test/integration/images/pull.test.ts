/**
 * Pull through the images service from a local docker-registry: a busybox image, a multi-layer
 * image with whiteouts, "Already exists" for a shared layer on a second pull, Docker's progress
 * line shapes, up-to-date re-pulls, and Docker's errors for unknown images.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtempSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineError } from '../../../src/common/errors.js';
import { mountAll, unmountAll } from '../../../src/containerd/snapshots/index.js';
import { parseDockerRef } from '../../../src/registry/reference/index.js';
import { busyboxTar, buildImage, isRoot, makeEnv, pushBuilt, recorder, startRegistry, tarOf, type Env, type RegistryProcess } from './helpers.js';

let reg: RegistryProcess;
let env: Env;

before(async () => {
  reg = await startRegistry();
  env = await makeEnv();
});

after(async () => {
  await env?.close();
  await reg?.stop();
});

test('pull a busybox image: progress lines, records, inspect, rootfs', { skip: !isRoot && 'needs root' }, async () => {
  const img = buildImage([busyboxTar()]);
  await pushBuilt(env.registry, `${reg.host}/busybox`, 'latest', img);
  const rec = recorder();
  const view = await env.svc.pull({ ref: parseDockerRef(`${reg.host}/busybox`) }, rec);
  assert.equal(view.id, img.configDigest);
  const id = img.layers[0]!.desc.digest.slice(7, 19);
  assert.deepEqual(rec.msgs[0], { status: 'Pulling from busybox', id: 'latest' });
  assert.deepEqual(rec.msgs[1], { status: 'Pulling fs layer', progressDetail: {}, id });
  const statuses = rec.msgs.map((m) => m.status);
  for (const s of ['Downloading', 'Verifying Checksum', 'Download complete', 'Extracting', 'Pull complete']) assert.ok(statuses.includes(s), s);
  const dl = rec.msgs.find((m) => m.status === 'Downloading')!;
  assert.match(dl.progress!, /^\[=*>\s*\] +[\d.]+[kM]?B\/[\d.]+MB/);
  assert.equal(dl.progressDetail?.total, img.layers[0]!.desc.size);
  assert.deepEqual(rec.msgs.at(-2), { status: `Digest: ${img.manifestDigest}` });
  assert.deepEqual(rec.msgs.at(-1), { status: `Status: Downloaded newer image for ${reg.host}/busybox:latest` });

  const ins = await env.svc.inspect(`${reg.host}/busybox`, '1.51');
  assert.deepEqual(ins.RepoTags, [`${reg.host}/busybox:latest`]);
  assert.deepEqual(ins.RepoDigests, [`${reg.host}/busybox@${img.manifestDigest}`]);
  assert.equal(ins.Size > 1_000_000, true);
  assert.deepEqual(ins.RootFS, { Type: 'layers', Layers: [img.layers[0]!.diffId] });

  const again = recorder();
  await env.svc.pull({ ref: parseDockerRef(`${reg.host}/busybox:latest`) }, again);
  assert.deepEqual(again.msgs.map((m) => m.status), ['Pulling from busybox', 'Already exists', `Digest: ${img.manifestDigest}`, `Status: Image is up to date for ${reg.host}/busybox:latest`]);

  const target = mkdtempSync(join(tmpdir(), 'skiff-rootfs-'));
  const r = await env.svc.prepareRootfs(view.id.slice(7, 15), 'ctr-1');
  mountAll(r.mounts, target);
  try {
    assert.ok(existsSync(join(target, 'bin/busybox')));
  } finally {
    unmountAll(target);
    rmdirSync(target);
  }
  await env.snapshotter.remove('ctr-1');
});

test('multi-layer image with whiteouts; a shared base layer "Already exists"', { skip: !isRoot && 'needs root' }, async () => {
  const base = await tarOf([{ name: 'etc/', type: 'directory' }, { name: 'etc/a', content: 'a' }, { name: 'etc/b', content: 'b' }, { name: 'data/', type: 'directory' }, { name: 'data/x', content: 'x' }]);
  const mid = await tarOf([{ name: 'etc/', type: 'directory' }, { name: 'etc/.wh.a' }, { name: 'data/', type: 'directory' }, { name: 'data/.wh..wh..opq' }, { name: 'data/y', content: 'y' }]);
  const top = await tarOf([{ name: 'top.txt', content: 'top' }]);
  const one = buildImage([base, mid]);
  const two = buildImage([base, mid, top]);
  await pushBuilt(env.registry, `${reg.host}/multi`, 'one', one);
  await pushBuilt(env.registry, `${reg.host}/multi`, 'two', two);
  const r1 = recorder();
  await env.svc.pull({ ref: parseDockerRef(`${reg.host}/multi:one`) }, r1);
  assert.equal(r1.msgs.filter((m) => m.status === 'Pull complete').length, 2);
  const r2 = recorder();
  await env.svc.pull({ ref: parseDockerRef(`${reg.host}/multi:two`) }, r2);
  const byId = (s: string): string[] => r2.msgs.filter((m) => m.status === s).map((m) => m.id!);
  assert.deepEqual(byId('Already exists'), [one.layers[0]!.desc.digest.slice(7, 19), one.layers[1]!.desc.digest.slice(7, 19)]);
  assert.deepEqual(byId('Pull complete'), [two.layers[2]!.desc.digest.slice(7, 19)]);

  const target = mkdtempSync(join(tmpdir(), 'skiff-rootfs-'));
  const p = await env.svc.prepareRootfs(`${reg.host}/multi:two`, 'ctr-2');
  mountAll(p.mounts, target);
  try {
    assert.equal(existsSync(join(target, 'etc/a')), false);
    assert.equal(readFileSync(join(target, 'etc/b'), 'utf8'), 'b');
    assert.equal(existsSync(join(target, 'data/x')), false);
    assert.equal(readFileSync(join(target, 'data/y'), 'utf8'), 'y');
    assert.equal(readFileSync(join(target, 'top.txt'), 'utf8'), 'top');
  } finally {
    unmountAll(target);
    rmdirSync(target);
  }
  await env.snapshotter.remove('ctr-2');
  const hist = env.svc.history(`${reg.host}/multi:two`);
  assert.equal(hist.length, 3);
  assert.equal(hist[0]!.Id, two.configDigest);
  assert.deepEqual(hist[0]!.Tags, [`${reg.host}/multi:two`]);
  assert.equal(hist[1]!.Id, '<missing>');
  assert.equal(hist[2]!.CreatedBy, 'layer 0');
});

test('unknown tag and unknown repository fail before any progress, with Docker wording', async () => {
  const rec = recorder();
  await assert.rejects(env.svc.pull({ ref: parseDockerRef(`${reg.host}/busybox:nope`) }, rec), (e: unknown) => {
    assert.ok(e instanceof EngineError);
    assert.equal(e.kind, 'not-found');
    assert.match(e.message, /^manifest for 127\.0\.0\.1:\d+\/busybox:nope not found: manifest unknown/);
    return true;
  });
  // docker-registry answers an unknown repository with MANIFEST_UNKNOWN, and Docker says so too.
  await assert.rejects(env.svc.pull({ ref: parseDockerRef(`${reg.host}/nothing-here`) }, rec), (e: unknown) => {
    assert.ok(e instanceof EngineError);
    assert.equal(e.kind, 'not-found');
    assert.match(e.message, /^manifest for 127\.0\.0\.1:\d+\/nothing-here:latest not found/);
    return true;
  });
  assert.equal(rec.msgs.length, 0);
});
