/**
 * `docker run --init` with the stock docker CLI against skiffd: skiff-tini at pid 1 as
 * /sbin/docker-init with the command as its child, the child's exit status, signals forwarded
 * (a stop takes far less than its timeout), orphans reaped; daemon.json `init: true` makes it
 * the default. Skipped (with the reason printed) only where the docker CLI is absent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { compatFixture, type Docker, dockerFor, importBusybox, waitUntil } from './docker-helpers.js';

const fx = compatFixture('--init tests');
const { skip } = fx;
/** The fixture's docker CLI, bound once its daemon is up. */
const docker: Docker = (args, opts) => fx.docker(args, opts);

test('docker run --init: docker-init is pid 1, the command its child', { skip }, () => {
  const r = docker(['run', '--rm', '--init', '--network', 'none', 'busybox', 'ps', '-o', 'pid,ppid,args']);
  assert.equal(r.status, 0, r.stderr);
  const rows = r.stdout.trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/));
  assert.deepEqual(rows[0]!.slice(0, 5), ['1', '0', '/sbin/docker-init', '--', 'ps'], r.stdout);
  assert.deepEqual(rows[1]!.slice(0, 3), ['2', '1', 'ps'], r.stdout);
  const v = docker(['run', '--rm', '--init', '--network', 'none', '--entrypoint', '/sbin/docker-init', 'busybox', '--version']);
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stdout, /^tini version \S+/);
});

test('docker run --init: the child\'s exit status at once, though a background child lives on', { skip }, () => {
  const t0 = Date.now();
  let r = docker(['run', '--rm', '--init', '--network', 'none', 'busybox', 'sh', '-c', 'sleep 100 & exit 3']);
  assert.equal(r.status, 3, r.stderr);
  assert.ok(Date.now() - t0 < 10_000, `took ${Date.now() - t0} ms`);
  r = docker(['run', '--rm', '--init', '--network', 'none', 'busybox', 'sh', '-c', 'kill -9 $$']);
  assert.equal(r.status, 137, 'killed by signal 9: 128+9');
});

test('docker stop of an --init container: SIGTERM is forwarded, no wait for the timeout', { skip }, () => {
  let r = docker(['run', '-d', '--init', '--name', 'initstop', '--network', 'none', 'busybox', 'sleep', '1000']);
  assert.equal(r.status, 0, r.stderr);
  const t0 = Date.now();
  r = docker(['stop', '-t', '20', 'initstop']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(Date.now() - t0 < 5_000, `stop took ${Date.now() - t0} ms`);
  assert.equal(docker(['inspect', '-f', '{{.State.ExitCode}} {{.HostConfig.Init}}', 'initstop']).stdout, '143 true\n');
  docker(['rm', '-f', 'initstop']);
});

/** A child that forks an orphan and then becomes `sleep`: the orphan's zombie is pid 1's to reap. */
const ORPHAN = 'sh -c "sleep 0.2 &"; exec sleep 1000';
const zombies = (name: string) => docker(['exec', name, 'ps', '-o', 'stat,args']).stdout.split('\n').filter((l) => /^\s*Z/.test(l)).length;

test('zombies are reaped under --init (and pile up without it)', { skip }, async () => {
  assert.equal(docker(['run', '-d', '--init', '--name', 'reaped', '--network', 'none', 'busybox', 'sh', '-c', ORPHAN]).status, 0);
  assert.equal(docker(['run', '-d', '--name', 'unreaped', '--network', 'none', 'busybox', 'sh', '-c', ORPHAN]).status, 0);
  // Without an init, pid 1 is `sleep`, which never waits: the orphan stays a zombie.
  await waitUntil(() => zombies('unreaped') === 1, 10_000, 'a zombie in the container without --init');
  assert.equal(zombies('reaped'), 0);
  docker(['rm', '-f', 'reaped', 'unreaped']);
});

test('daemon.json "init": true makes --init the default; --init=false still opts out', { skip }, async () => {
  const d2 = await startDaemon({ config: { init: true } });
  const docker2 = dockerFor(d2.host, fx.cfg);
  try {
    importBusybox(docker2);
    let r = docker2(['run', '--rm', '--network', 'none', 'busybox', 'cat', '/proc/1/cmdline']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.split('\0')[0], '/sbin/docker-init');
    r = docker2(['run', '--rm', '--init=false', '--network', 'none', 'busybox', 'cat', '/proc/1/cmdline']);
    assert.equal(r.stdout.split('\0')[0], 'cat');
  } finally {
    await d2.stop();
  }
});
