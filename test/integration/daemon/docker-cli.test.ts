/**
 * The stock docker CLI (28.x) against skiffd: `docker version`, `docker info`,
 * `docker system events --since --until`. Skipped, with the reason, when the CLI is absent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, type TestDaemon } from '../../helpers/daemon.js';

const DOCKER = '/usr/local/bin/docker';
const skip = existsSync(DOCKER) ? false : `${DOCKER} is not installed`;
if (skip) console.log(`# skipping docker CLI tests: ${skip}`);

function docker(d: TestDaemon, args: string[]): { status: number | null; stdout: string; stderr: string } {
  // A private DOCKER_CONFIG so the user's contexts and settings cannot interfere.
  const cfg = mkdtempSync(join(tmpdir(), 'docker-config-'));
  try {
    const r = spawnSync(DOCKER, args, {
      encoding: 'utf8', timeout: 60_000,
      env: { ...process.env, DOCKER_HOST: d.host, DOCKER_CONFIG: cfg, DOCKER_CONTEXT: '', DOCKER_API_VERSION: '' },
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(cfg, { recursive: true, force: true });
  }
}

test('docker version shows Client and Server', { skip }, async () => {
  const d = await startDaemon();
  try {
    const r = docker(d, ['version']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Client:/m);
    assert.match(r.stdout, /^Server: /m);
    assert.match(r.stdout, /API version:\s+1\.56 \(minimum version 1\.24\)/);
  } finally {
    await d.stop();
  }
});

test('docker info shows the Server Version', { skip }, async () => {
  const d = await startDaemon();
  try {
    const r = docker(d, ['info']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Server Version: \S+/);
    assert.match(r.stdout, /Docker Root Dir: /);
  } finally {
    await d.stop();
  }
});

test('docker system events --since --until prints the range and exits', { skip }, async () => {
  const since = Math.floor(Date.now() / 1000) - 1;
  const d = await startDaemon();
  try {
    const until = Math.ceil(Date.now() / 1000) + 1;
    await new Promise((r) => setTimeout(r, 1100)); // until must be in the past for an immediate end
    const r = docker(d, ['system', 'events', '--since', String(since), '--until', String(until)]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /daemon start /);
  } finally {
    await d.stop();
  }
});
