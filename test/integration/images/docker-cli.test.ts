/**
 * The stock docker CLI against the image routes: an in-process Engine API server (the real
 * ApiServer and router) serving the images routes plus `/_ping` on a unix socket, DOCKER_HOST
 * pointing at it. `docker pull`, `images`, `tag`, `rmi`, `save`, `load`, `push`, `image inspect`
 * and `history` against a local docker-registry. Skipped, saying why, without the docker CLI.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ApiServer } from '../../../src/api/server.js';
import { listen, removeSocket, type Listener } from '../../../src/api/listen.js';
import { authRoutes } from '../../../src/api/routes/auth.js';
import { distributionRoutes } from '../../../src/api/routes/distribution.js';
import { imageRoutes } from '../../../src/api/routes/images.js';
import type { Route } from '../../../src/api/route.js';
import { busyboxTar, buildImage, isRoot, makeEnv, pushBuilt, startRegistry, tarOf, type Env, type RegistryProcess } from './helpers.js';

const DOCKER = '/usr/local/bin/docker';
const run = promisify(execFile);
const skip = !existsSync(DOCKER) ? `${DOCKER} is absent` : !isRoot ? 'needs root' : false;
if (skip) console.log(`# skipping docker CLI tests: ${skip}`);

let reg: RegistryProcess;
let env: Env;
let listener: Listener;
let host: string;
let cfgDir: string;

const ping: Route[] = (['GET', 'HEAD'] as const).map((method) => ({
  method, path: '/_ping', async handler(_req, res) { res.text(200, method === 'HEAD' ? '' : 'OK', 'text/plain; charset=utf-8'); },
}));

before(async () => {
  if (skip) return;
  reg = await startRegistry();
  env = await makeEnv();
  const api = new ApiServer({ routes: [...ping, ...imageRoutes(env.svc), ...distributionRoutes(env.svc), ...authRoutes(env.svc)] });
  const sock = join(env.dir, 'api.sock');
  listener = await listen(api, `unix://${sock}`, {});
  host = `unix://${sock}`;
  cfgDir = join(env.dir, 'docker-config');
  mkdirSync(cfgDir);
});

after(async () => {
  if (skip) return;
  await new Promise<void>((r) => listener.server.close(() => r()));
  await removeSocket(listener);
  await env.close();
  await reg.stop();
});

async function docker(...args: string[]): Promise<string> {
  const r = await run(DOCKER, args, { env: { ...process.env, DOCKER_HOST: host, DOCKER_CONFIG: cfgDir }, maxBuffer: 16 << 20 });
  return r.stdout;
}

async function dockerFails(...args: string[]): Promise<string> {
  try {
    await docker(...args);
  } catch (e) {
    return (e as { stderr: string }).stderr;
  }
  throw new Error(`docker ${args.join(' ')} succeeded`);
}

test('docker pull, images, inspect, history, tag, rmi', { skip }, async () => {
  const img = buildImage([busyboxTar(), await tarOf([{ name: 'etc/motd', content: 'hi' }])]);
  await pushBuilt(env.registry, `${reg.host}/busybox`, 'latest', img);
  const out = await docker('pull', `${reg.host}/busybox`);
  assert.match(out, /latest: Pulling from busybox/);
  assert.match(out, /Pull complete/);
  assert.match(out, new RegExp(`Digest: ${img.manifestDigest}`));
  assert.match(out, new RegExp(`Status: Downloaded newer image for ${reg.host}/busybox:latest`));
  const again = await docker('pull', `${reg.host}/busybox`);
  assert.match(again, /Status: Image is up to date/);

  const rows = (await docker('images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}')).trim().split('\n');
  assert.deepEqual(rows, [`${reg.host}/busybox:latest ${img.configDigest.slice(7, 19)}`]);
  assert.equal((await docker('image', 'inspect', '--format', '{{.Id}} {{.Os}}', `${reg.host}/busybox`)).trim(), `${img.configDigest} linux`);
  assert.equal((await docker('history', '-q', `${reg.host}/busybox`)).trim().split('\n').length, 2);

  await docker('tag', `${reg.host}/busybox`, 'mine:1');
  assert.match(await docker('images', 'mine'), /mine\s+1\s+/);
  assert.match(await dockerFails('rmi', img.configDigest.slice(7, 19)), /image is referenced in multiple repositories/);
  assert.match(await docker('rmi', 'mine:1'), /Untagged: mine:1/);
  assert.match(await dockerFails('image', 'inspect', 'nope'), /No such image: nope/);
  assert.match(await dockerFails('pull', `${reg.host}/busybox:missing`), /manifest for .* not found/);
});

test('docker save, rmi, load, push', { skip }, async () => {
  const tarFile = join(env.dir, 'bb.tar');
  await docker('save', '-o', tarFile, `${reg.host}/busybox`);
  const rmi = await docker('rmi', `${reg.host}/busybox`);
  assert.match(rmi, /Untagged: .*busybox:latest/);
  assert.match(rmi, /Deleted: sha256:/);
  assert.equal((await docker('images', '-q')).trim(), '');
  assert.match(await docker('load', '-i', tarFile), new RegExp(`Loaded image: ${reg.host}/busybox:latest`));

  await docker('tag', `${reg.host}/busybox`, `${reg.host}/pushed:v1`);
  const push = await docker('push', `${reg.host}/pushed:v1`);
  assert.match(push, new RegExp(`The push refers to repository \\[${reg.host}/pushed\\]`));
  assert.match(push, /v1: digest: sha256:[a-f0-9]{64} size: \d+/);
  const again = await docker('push', `${reg.host}/pushed:v1`);
  assert.match(again, /Layer already exists/);
  assert.match(await dockerFails('push', `${reg.host}/absent:v1`), /An image does not exist locally with the tag: .*absent/);
  rmSync(tarFile);
});
