/**
 * The stock docker CLI against skiffd for images, through a real Debian docker-registry on
 * 127.0.0.1: push, remove, pull back, tag, save/load, history, image prune. Skipped (with the
 * reason printed) only where /usr/local/bin/docker is absent.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { startRegistry, type RegistryProcess } from '../integration/registry/fixtures.js';
import { dockerFor, HAVE_DOCKER, importBusybox } from './docker-helpers.js';

const skip = HAVE_DOCKER ? false : 'the stock docker CLI (/usr/local/bin/docker) is not installed';

let d: TestDaemon;
let reg: RegistryProcess;
let docker: ReturnType<typeof dockerFor>;
let cfg: string;

before(async () => {
  if (skip) return;
  d = await startDaemon();
  reg = await startRegistry();
  cfg = mkdtempSync(join(tmpdir(), 'skiff-dockercfg-'));
  docker = dockerFor(d.host, cfg);
  importBusybox(docker);
});

after(async () => {
  if (skip) return;
  await d.stop();
  await reg.stop();
  rmSync(cfg, { recursive: true, force: true });
});

test('push to a registry on 127.0.0.1, remove, pull back, run', { skip }, () => {
  const ref = `127.0.0.1:${reg.port}/skiff/busybox:1.0`;
  assert.equal(docker(['tag', 'busybox:latest', ref]).status, 0);
  let r = docker(['push', ref]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^The push refers to repository \[127\.0\.0\.1:\d+\/skiff\/busybox\]$/m);
  assert.match(r.stdout, /^1\.0: digest: sha256:[0-9a-f]{64} size: \d+$/m);
  const digest = /digest: (sha256:[0-9a-f]{64})/.exec(r.stdout)![1]!;
  r = docker(['rmi', ref]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^Untagged: ${ref.replace(/[.:/]/g, '\\$&')}$`, 'm'));
  r = docker(['pull', ref]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`Digest: ${digest}`));
  assert.match(r.stdout, /Status: (Downloaded newer image|Image is up to date) for/);
  r = docker(['images', '--format', '{{.Repository}}:{{.Tag}}']);
  assert.match(r.stdout, new RegExp(`^127\\.0\\.0\\.1:${reg.port}/skiff/busybox:1\\.0$`, 'm'));
  r = docker(['run', '--rm', ref, 'echo', 'pulled and ran']);
  assert.equal(r.stdout, 'pulled and ran\n', r.stderr);
  r = docker(['pull', `127.0.0.1:${reg.port}/skiff/nope:1`]);
  assert.notEqual(r.status, 0);
});

test('commit makes an image of a container\'s changes', { skip }, () => {
  let r = docker(['run', '--name', 'tocommit', 'busybox', 'sh', '-c', 'echo committed > /marker']);
  assert.equal(r.status, 0, r.stderr);
  r = docker(['commit', '-c', 'ENV FROM_COMMIT=yes', '-m', 'a message', 'tocommit', 'committed:1']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^sha256:[0-9a-f]{64}\n$/);
  r = docker(['run', '--rm', 'committed:1', 'sh', '-c', 'cat /marker; echo $FROM_COMMIT']);
  assert.equal(r.stdout, 'committed\nyes\n', r.stderr);
  assert.match(docker(['history', '--format', '{{.Comment}}', 'committed:1']).stdout, /^a message$/m);
  docker(['rm', '-f', 'tocommit']);
  docker(['rmi', 'committed:1']);
});

test('save and load round-trip, history, prune', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-save-'));
  try {
    const tar = join(dir, 'bb.tar');
    let r = docker(['save', '-o', tar, 'busybox:latest']);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(statSync(tar).size > 1_000_000);
    const id = docker(['inspect', '-f', '{{.Id}}', 'busybox:latest']).stdout.trim();
    docker(['tag', 'busybox:latest', 'copy:1']);
    r = docker(['rmi', '-f', 'busybox:latest', 'copy:1']);
    assert.equal(r.status, 0, r.stderr);
    r = docker(['load', '-i', tar]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Loaded image: busybox:latest/);
    assert.equal(docker(['inspect', '-f', '{{.Id}}', 'busybox:latest']).stdout.trim(), id);
    r = docker(['history', 'busybox:latest']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^IMAGE\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT/);
    r = docker(['image', 'prune', '-f']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Total reclaimed space/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
