/**
 * bin/skiff as users run it: executed directly (its shell half), through a symlink (an npm bin
 * link), with `sh`, and as `node bin/skiff`. The shell half keeps Node from loading
 * NODE_EXTRA_CA_CERTS at start-up (seen here by Node's warning for an unreadable file, which
 * only `node bin/skiff` prints), and the launcher runs the bundle unless tsc's output is newer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SKIFF = resolve('bin/skiff');
const DOWN = 'unix:///nonexistent/skiff-launcher-test.sock';
const CANNOT = `Cannot connect to the Docker daemon at ${DOWN}. Is the docker daemon running?\n`;

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, {
    env: { ...process.env, DOCKER_HOST: DOWN, SKIFF_EXTRA_CA_CERTS: '', ...env },
    encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const version = ['version', '--format', '{{.Client.Version}}'];

test('bin/skiff runs directly, through a symlink and with sh, as docker would answer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-launcher-'));
  try {
    symlinkSync(SKIFF, join(dir, 'skiff'));
    for (const [cmd, args] of [[SKIFF, version], [join(dir, 'skiff'), version], ['sh', [SKIFF, ...version]], [process.execPath, [SKIFF, ...version]]] as const) {
      const r = run(cmd, [...args]);
      assert.deepEqual(r, { status: 1, stdout: '0.1.0\n', stderr: CANNOT }, `${cmd} ${args.join(' ')}`);
    }
    const bad = run(SKIFF, ['--nope']);
    assert.equal(bad.status, 125);
    assert.match(bad.stderr, /^unknown flag: --nope\n/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('NODE_EXTRA_CA_CERTS is not loaded at start-up by bin/skiff (node bin/skiff does load it)', () => {
  const env = { NODE_EXTRA_CA_CERTS: '/nonexistent/skiff-extra-ca.pem' };
  const direct = run(SKIFF, version, env);
  assert.deepEqual(direct, { status: 1, stdout: '0.1.0\n', stderr: CANNOT });
  const viaNode = run(process.execPath, [SKIFF, ...version], env);
  assert.equal(viaNode.stdout, '0.1.0\n');
  assert.match(viaNode.stderr, /Warning: Ignoring extra certs from `\/nonexistent\/skiff-extra-ca\.pem`/);
});

test('the launcher runs the bundle, or tsc\'s output when that is newer', () => {
  const mtime = (p: string): number => {
    try {
      return statSync(resolve(p)).mtimeMs;
    } catch {
      return -1;
    }
  };
  const bundled = (): boolean => mtime('dist/cli/skiff-main.cjs') >= mtime('dist/src/cli/main.js');
  const before = bundled();
  // A stack trace names the file the code ran from.
  const r = run(SKIFF, ['version'], { DOCKER_HOST: 'ftp://nowhere', SKIFF_DEBUG_STACK: '1' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^Failed to initialize: unable to resolve docker endpoint: invalid bind address format: ftp:\/\/nowhere\n/);
  // (A build in between, by someone sharing this checkout, makes either answer right.)
  if (before !== bundled()) return;
  assert.match(r.stderr, before ? /dist\/cli\/skiff-main\.cjs/ : /dist\/src\/client\/transport\.js/);
});
