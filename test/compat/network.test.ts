/**
 * The stock docker CLI against skiffd: user networks with name resolution, isolation, published
 * ports reached from 127.0.0.1, volumes shared between containers. Skipped (with the reason
 * printed) only where /usr/local/bin/docker is absent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compatFixture, type Docker, waitUntil } from './docker-helpers.js';

const fx = compatFixture('docker CLI network tests', (docker) => {
  for (const n of ['front', 'back']) docker(['network', 'rm', n]);
  docker(['volume', 'rm', 'shared']);
});
const { skip } = fx;
/** The fixture's docker CLI, bound once its daemon is up. */
const docker: Docker = (args, opts) => fx.docker(args, opts);

test('containers on a user network resolve each other by name; other networks cannot reach them', { skip }, () => {
  assert.equal(docker(['network', 'create', '--subnet', '10.241.11.0/24', 'front']).status, 0);
  assert.equal(docker(['network', 'create', '--subnet', '10.241.12.0/24', 'back']).status, 0);
  let r = docker(['run', '-d', '--name', 'srv', '--network', 'front', '--network-alias', 'api', 'busybox', 'sh', '-c', 'echo pong > /tmp/i; exec httpd -f -p 80 -h /tmp']);
  assert.equal(r.status, 0, r.stderr);
  const ip = docker(['inspect', '-f', '{{.NetworkSettings.Networks.front.IPAddress}}', 'srv']).stdout.trim();
  assert.match(ip, /^10\.241\.11\.\d+$/);
  // busybox's own resolver (nslookup) against the embedded DNS. The static busybox's wget needs
  // glibc's NSS modules, which this one-binary image lacks, so HTTP goes through nc by address.
  const get = (host: string) => `printf 'GET /i HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${host} 80`;
  r = docker(['run', '--rm', '--network', 'front', 'busybox', 'sh', '-c', `nslookup srv; nslookup api; ${get(ip)}`]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal((r.stdout.match(new RegExp(`Address: ${ip.replaceAll('.', '\\.')}`, 'g')) ?? []).length, 2, r.stdout);
  assert.match(r.stdout, /pong\n$/);
  r = docker(['run', '--rm', '--network', 'back', 'busybox', 'sh', '-c', get(ip)]);
  assert.doesNotMatch(r.stdout, /pong/, 'another network is isolated');
  r = docker(['network', 'rm', 'front']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /has active endpoints/);
  docker(['rm', '-f', 'srv']);
  assert.equal(docker(['network', 'rm', 'front', 'back']).status, 0);
});

test('a published port is reached from 127.0.0.1 and docker port reports it', { skip }, async () => {
  let r = docker(['run', '-d', '--name', 'pub', '-p', '127.0.0.1::80', 'busybox', 'sh', '-c', 'echo published > /tmp/i; exec httpd -f -p 80 -h /tmp']);
  assert.equal(r.status, 0, r.stderr);
  r = docker(['port', 'pub', '80']);
  const m = /^127\.0\.0\.1:(\d+)$/m.exec(r.stdout);
  assert.ok(m, `docker port: ${r.stdout} ${r.stderr}`);
  let body = '';
  await waitUntil(() => {
    const c = spawnSyncText('wget', ['-qO-', '-T', '2', `http://127.0.0.1:${m[1]}/i`]);
    body = c;
    return c === 'published\n';
  }, 10_000, 'the published port');
  assert.equal(body, 'published\n');
  docker(['rm', '-f', 'pub']);
});

test('a named volume is shared, survives its containers, and is refused removal while used', { skip }, () => {
  assert.equal(docker(['run', '--rm', '-v', 'shared:/data', 'busybox', 'sh', '-c', 'echo kept > /data/f']).status, 0);
  let r = docker(['run', '--rm', '-v', 'shared:/data:ro', 'busybox', 'sh', '-c', 'cat /data/f; touch /data/g']);
  assert.equal(r.stdout, 'kept\n');
  assert.notEqual(r.status, 0, ':ro is enforced');
  docker(['run', '-d', '--name', 'holder', '-v', 'shared:/data', 'busybox', 'sleep', '1000']);
  r = docker(['volume', 'rm', 'shared']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /volume is in use/);
  docker(['rm', '-f', 'holder']);
  assert.equal(docker(['volume', 'rm', 'shared']).status, 0);
});

import { spawnSync } from 'node:child_process';

function spawnSyncText(cmd: string, args: string[]): string {
  return spawnSync(cmd, args, { encoding: 'utf8', timeout: 5000, killSignal: 'SIGKILL' }).stdout ?? '';
}
