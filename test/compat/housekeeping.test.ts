/**
 * Volumes and housekeeping with the stock docker CLI against skiffd: anonymous volumes removed by
 * --rm, named volumes surviving a daemon restart, binds of host files and dirs, tmpfs volumes,
 * copy-up, bad driver options, system df (-v) and system prune. Skipped (with the reason printed)
 * only where /usr/local/bin/docker is absent.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compatFixture, type Docker, importBusybox } from './docker-helpers.js';

const fx = compatFixture('docker CLI housekeeping tests', (docker) => {
  const vols = docker(['volume', 'ls', '-q']).stdout.split('\n').filter(Boolean);
  if (vols.length) docker(['volume', 'rm', '-f', ...vols]);
});
const { skip } = fx;
/** The fixture's docker CLI, bound once its daemon is up. */
const docker: Docker = (args, opts) => fx.docker(args, opts);
let host: string;
before(() => { host = mkdtempSync(join(tmpdir(), 'skiff-hostdir-')); });
after(() => { if (host) rmSync(host, { recursive: true, force: true }); });

test('--rm removes anonymous volumes; named volumes survive a daemon restart', { skip }, async () => {
  assert.equal(docker(['run', '--rm', '-v', '/scratch', 'busybox', 'sh', '-c', 'echo x > /scratch/f']).status, 0);
  assert.equal(docker(['volume', 'ls', '-q']).stdout, '', 'the anonymous volume went with the container');
  assert.equal(docker(['run', '--rm', '-v', 'keep:/d', 'busybox', 'sh', '-c', 'echo persisted > /d/f']).status, 0);
  await fx.d.crashAndRestart();
  const r = docker(['run', '--rm', '-v', 'keep:/d', 'busybox', 'cat', '/d/f']);
  assert.equal(r.stdout, 'persisted\n', r.stderr);
  assert.match(docker(['volume', 'inspect', '-f', '{{.Mountpoint}}', 'keep']).stdout, /\/volumes\/keep\/_data\n$/);
});

test('binds of host dirs and files, :ro, tmpfs volumes, copy-up', { skip }, () => {
  writeFileSync(join(host, 'conf'), 'from host\n');
  let r = docker(['run', '--rm', '-v', `${host}:/h`, '-v', `${join(host, 'conf')}:/etc/app.conf:ro`, 'busybox', 'sh', '-c',
    'cat /etc/app.conf; echo written > /h/out; echo x > /etc/app.conf 2>/dev/null || echo ro-enforced']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'from host\nro-enforced\n');
  assert.equal(readFileSync(join(host, 'out'), 'utf8'), 'written\n');
  assert.equal(docker(['volume', 'create', '-o', 'type=tmpfs', '-o', 'device=tmpfs', '-o', 'o=size=8m', 'mem']).status, 0);
  r = docker(['run', '--rm', '-v', 'mem:/m', 'busybox', 'sh', '-c', 'grep " /m " /proc/mounts']);
  assert.match(r.stdout, /^tmpfs \/m tmpfs /);
  // An empty named volume over a non-empty image directory is filled from the image.
  r = docker(['run', '--rm', '-v', 'bins:/bin', 'busybox', 'true']);
  assert.equal(r.status, 0, r.stderr);
  r = docker(['run', '--rm', '-v', 'bins:/copied', 'busybox', 'sh', '-c', 'ls /copied/busybox && stat -c %a /copied/busybox']);
  assert.equal(r.stdout, '/copied/busybox\n755\n', r.stderr);
  r = docker(['volume', 'create', '-o', 'bogus=1', 'bad']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /invalid option/);
  assert.doesNotMatch(docker(['volume', 'ls', '-q']).stdout, /^bad$/m, 'nothing created');
  docker(['volume', 'rm', 'mem', 'bins']);
});

test('system df (-v) and system prune', { skip }, () => {
  docker(['run', '--name', 'stopped', '-v', 'dfvol:/v', '-v', '/anon', 'busybox', 'sh', '-c', 'head -c 300000 /dev/zero > /v/blob']);
  let r = docker(['system', 'df']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^TYPE\s+TOTAL\s+ACTIVE\s+SIZE\s+RECLAIMABLE/);
  assert.match(r.stdout, /^Images\s+1\s+1\s+/m);
  assert.match(r.stdout, /^Containers\s+1\s+0\s+/m);
  assert.match(r.stdout, /^Local Volumes\s+\d+\s+2\s+/m);
  r = docker(['system', 'df', '-v']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^dfvol\s+1\s+300kB$/m);
  r = docker(['system', 'prune', '-af', '--volumes']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Total reclaimed space/);
  assert.equal(docker(['ps', '-aq']).stdout, '');
  // As Docker 23+: --volumes prunes anonymous volumes; named ones stay.
  const left = docker(['volume', 'ls', '-q']).stdout.split('\n').filter(Boolean);
  assert.deepEqual(left.filter((v) => /^[0-9a-f]{64}$/.test(v)), []);
  assert.ok(left.includes('dfvol'));
  importBusybox(docker);
});
