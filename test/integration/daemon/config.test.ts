/**
 * skiffd's start-up refusals (one clear line), --validate, --version, the pidfile guard, and
 * SIGHUP reload of `debug`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { makeDaemonDirs, runDaemonOnce, startDaemon } from '../../helpers/daemon.js';

test('an unknown daemon.json key refuses start-up with one line', async () => {
  const { dir, args, configFile } = makeDaemonDirs({ foo: 1, debug: true });
  try {
    const r = await runDaemonOnce(args);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `unable to configure the Docker daemon with file ${configFile}: the following directives don't match any configuration option: foo\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a key set as flag and in the file refuses start-up with one line', async () => {
  const { dir, args, configFile } = makeDaemonDirs({ debug: false });
  try {
    const r = await runDaemonOnce([...args, '--debug']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `unable to configure the Docker daemon with file ${configFile}: the following directives are specified both as a flag and in the configuration file: debug: (from flag: true, from file: false)\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--validate, --version, bad values', async () => {
  const { dir, args } = makeDaemonDirs({ 'log-level': 'warn' });
  try {
    assert.deepEqual(await runDaemonOnce([...args, '--validate']), { code: 0, stdout: 'configuration OK\n', stderr: '' });
    const v = await runDaemonOnce(['--version']);
    assert.match(v.stdout, /^Skiff daemon version [0-9]+\.[0-9]+\.[0-9]+/);
    const bad = await runDaemonOnce([...args, '--max-concurrent-downloads', '-2', '--validate']);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, 'merged configuration validation from file and command line flags failed: invalid max concurrent downloads: -2\n');
    const h = await runDaemonOnce(['--help']);
    assert.match(h.stdout, /--data-root/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a second daemon on the same pidfile refuses to start', async () => {
  const d = await startDaemon();
  try {
    const r = await runDaemonOnce(['--data-root', d.dataRoot, '--exec-root', d.execRoot, '--pidfile', d.pidfile,
      '--config-file', d.configFile, '-H', `unix://${d.dir}/other.sock`]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`failed to start daemon, ensure skiffd is not running or delete ${d.pidfile}: skiffd with PID ${d.proc.pid} is still running`));
    // The first daemon still serves.
    assert.equal((await d.request('GET', '/_ping')).status, 200);
  } finally {
    await d.stop();
  }
});

test('SIGHUP reloads debug from daemon.json and logs it', async () => {
  const d = await startDaemon({ config: { debug: false } });
  try {
    assert.equal((await d.request('GET', '/info')).json().Debug, false);
    writeFileSync(d.configFile, JSON.stringify({ debug: true }));
    d.proc.kill('SIGHUP');
    await d.waitForLog('msg="Reloaded configuration"');
    assert.match(d.logs(), /option=debug value=true/);
    assert.equal((await d.request('GET', '/info')).json().Debug, true);
    // A broken file on reload keeps the running configuration.
    writeFileSync(d.configFile, '{"bogus": 1}');
    d.proc.kill('SIGHUP');
    await d.waitForLog(/level=error msg="Error reloading configuration".*bogus/);
    assert.equal((await d.request('GET', '/info')).json().Debug, true);
  } finally {
    await d.stop();
  }
});

test('plain TCP on a non-loopback address is refused', async () => {
  const { dir, args } = makeDaemonDirs();
  try {
    const r = await runDaemonOnce([...args, '-H', 'tcp://0.0.0.0:23750']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /refusing to listen on tcp:\/\/0\.0\.0\.0:23750 without TLS client verification/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
