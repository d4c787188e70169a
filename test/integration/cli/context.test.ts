/**
 * Contexts: skiff and docker share one config dir, so a context created by either is seen and
 * used by the other (docker's store layout, sha256-named meta dirs, currentContext).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, type TestDaemon } from '../../helpers/daemon.js';
import { DOCKER, dockerSkip, SKIFF } from './harness.js';
import { contextDirName } from '../../../src/client/index.js';

let d: TestDaemon;
let cfg: string;
before(async () => {
  d = await startDaemon();
  cfg = mkdtempSync(join(tmpdir(), 'skiff-ctx-'));
});
after(async () => {
  rmSync(cfg, { recursive: true, force: true });
  await d?.stop();
});

function run(bin: 'skiff' | 'docker', args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_CONFIG: cfg };
  for (const k of ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_API_VERSION', 'DOCKER_TLS_VERIFY']) delete env[k];
  const [cmd, argv] = bin === 'skiff' ? [process.execPath, [SKIFF, ...args]] : [DOCKER, args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL', env, input: '' });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

test('skiff context create/use/show/ls and the daemon reached through it', () => {
  const c = run('skiff', ['context', 'create', 'test-ctx', '--description', 'to the test daemon', '--docker', `host=${d.host}`]);
  assert.equal(c.status, 0, c.stderr);
  assert.equal(c.stdout, 'test-ctx\n');
  const meta = JSON.parse(readFileSync(join(cfg, 'contexts', 'meta', contextDirName('test-ctx'), 'meta.json'), 'utf8'));
  assert.deepEqual(meta, { Name: 'test-ctx', Metadata: { Description: 'to the test daemon' }, Endpoints: { docker: { Host: d.host, SkipTLSVerify: false } } });
  assert.equal(run('skiff', ['context', 'use', 'test-ctx']).status, 0);
  assert.equal(run('skiff', ['context', 'show']).stdout, 'test-ctx\n');
  const v = run('skiff', ['version', '--format', '{{.Client.Context}} {{.Server.Version}}']);
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stdout, /^test-ctx \S+\n$/);
  assert.equal(run('skiff', ['--context', 'default', 'context', 'show']).stdout, 'default\n');
  if (!dockerSkip) {
    assert.equal(run('docker', ['context', 'show']).stdout, 'test-ctx\n');
    // The default context's endpoint is each client's own default socket: compare the rest.
    const noDefault = (s: string): string => s.replace(/^default .*\n/m, '');
    assert.equal(noDefault(run('skiff', ['context', 'ls']).stdout), noDefault(run('docker', ['context', 'ls']).stdout));
    assert.equal(run('skiff', ['context', 'ls', '-q']).stdout, run('docker', ['context', 'ls', '-q']).stdout);
    assert.equal(run('skiff', ['context', 'inspect', '-f', '{{.Name}} {{.Endpoints.docker.Host}}', 'test-ctx']).stdout,
      run('docker', ['context', 'inspect', '-f', '{{.Name}} {{.Endpoints.docker.Host}}', 'test-ctx']).stdout);
    const dv = run('docker', ['version', '--format', '{{.Server.Version}}']);
    assert.equal(dv.status, 0, dv.stderr);
  }
  assert.equal(run('skiff', ['context', 'rm', 'test-ctx']).status, 1);
  const rm = run('skiff', ['context', 'rm', '-f', 'test-ctx']);
  assert.equal(rm.status, 0, rm.stderr);
  assert.equal(existsSync(join(cfg, 'contexts', 'meta', contextDirName('test-ctx'))), false);
  assert.equal(run('skiff', ['context', 'show']).stdout, 'default\n');
});
