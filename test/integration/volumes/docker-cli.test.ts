/**
 * The volume routes driven by the stock docker CLI: an in-process API server carrying only the
 * volume routes (and /_ping) on a temporary socket, over a temporary data-root. This tests the
 * routes without the daemon's composition root, which wires them separately.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ApiServer } from '../../../src/api/server.js';
import { listen, removeSocket } from '../../../src/api/listen.js';
import type { Route } from '../../../src/api/route.js';
import { volumeRoutes } from '../../../src/api/routes/volumes.js';
import { VolumesService } from '../../../src/services/volumes/index.js';
import { FakeUsage, isRoot, tempDir } from './helpers.js';

const DOCKER = '/usr/local/bin/docker';
const run = promisify(execFile);
const skip = !isRoot ? 'needs root' : !existsSync(DOCKER) ? `${DOCKER} is absent` : false;
if (skip) console.log(`# skipping docker CLI volume tests: ${skip}`);

const ping: Route[] = ['GET', 'HEAD'].map((method) => ({
  method: method as 'GET' | 'HEAD', path: '/_ping',
  async handler(_req, res) { res.text(200, 'OK', 'text/plain; charset=utf-8'); },
}));

test('docker volume create/ls/inspect/rm/prune against the volume routes', { skip }, async (t) => {
  const dir = tempDir(t);
  const usage = new FakeUsage();
  const volumes = await VolumesService.open({ dataRoot: join(dir, 'data'), usage });
  const api = new ApiServer({ routes: [...ping, ...volumeRoutes(volumes)] });
  const socket = join(dir, 'api.sock');
  const l = await listen(api, `unix://${socket}`, {});
  t.after(async () => {
    await new Promise<void>((r) => l.server.close(() => r()));
    await removeSocket(l);
  });
  const env = { ...process.env, DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: join(dir, 'docker-config') };
  const docker = async (...args: string[]) => (await run(DOCKER, args, { env })).stdout.trim();
  const fails = async (args: string[], message: string) =>
    assert.rejects(run(DOCKER, args, { env }), (e: Error & { stderr: string }) => {
      assert.ok(e.stderr.includes(message), `${args.join(' ')}: ${e.stderr}`);
      return true;
    });

  assert.equal(await docker('volume', 'create', '--label', 'app=web', 'web-data'), 'web-data');
  assert.equal(await docker('volume', 'create', '-o', 'type=tmpfs', '-o', 'device=tmpfs', '-o', 'o=size=1m', 'mem'), 'mem');
  const anon = await docker('volume', 'create');
  assert.match(anon, /^[0-9a-f]{64}$/);

  const inspected = JSON.parse(await docker('volume', 'inspect', 'web-data'));
  assert.equal(inspected[0].Name, 'web-data');
  assert.equal(inspected[0].Driver, 'local');
  assert.equal(inspected[0].Scope, 'local');
  assert.deepEqual(inspected[0].Labels, { app: 'web' });
  assert.equal(inspected[0].Mountpoint, join(dir, 'data', 'volumes', 'web-data', '_data'));
  assert.equal(await docker('volume', 'inspect', '-f', '{{.Options.type}}', 'mem'), 'tmpfs');

  assert.equal(await docker('volume', 'ls', '-q', '--filter', 'label=app=web'), 'web-data');
  assert.deepEqual((await docker('volume', 'ls', '--format', '{{.Name}}')).split('\n').sort(), [anon, 'mem', 'web-data'].sort());
  assert.equal(await docker('volume', 'ls', '-q', '--filter', 'name=^me'), 'mem');

  await fails(['volume', 'create', 'bad/name'], '"bad/name" includes invalid characters for a local volume name');
  await fails(['volume', 'create', '-o', 'foo=bar', 'x1'], 'create x1: invalid option: "foo"');
  await fails(['volume', 'create', '-d', 'nope', 'x2'], 'error looking up volume plugin nope: plugin "nope" not found');
  await fails(['volume', 'inspect', 'ghost'], 'get ghost: no such volume');
  await fails(['volume', 'ls', '--filter', 'colour=red'], "invalid filter 'colour'");

  usage.users.set('web-data', ['abc123']);
  await fails(['volume', 'rm', 'web-data'], 'remove web-data: volume is in use - [abc123]');
  usage.users.clear();

  const pruned = await docker('volume', 'prune', '-f');
  assert.ok(pruned.includes(anon), pruned);
  assert.deepEqual((await docker('volume', 'ls', '-q')).split('\n').sort(), ['mem', 'web-data']);
  await docker('volume', 'prune', '-f', '--all');
  assert.equal(await docker('volume', 'ls', '-q'), 'mem', 'volumes with mount options are never pruned');
  assert.equal(await docker('volume', 'rm', 'mem'), 'mem');
  await docker('volume', 'rm', '-f', 'ghost');
  assert.equal(await docker('volume', 'ls', '-q'), '');
});
