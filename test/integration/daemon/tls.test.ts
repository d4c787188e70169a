/**
 * A tcp listener with --tlsverify: clients with a certificate from the CA are served (raw https,
 * skiff and the stock docker CLI with --tlsverify), clients without one or with one from another
 * CA are refused at the handshake. A plain TCP listener on a non-loopback address is refused
 * unless --tlsverify=false says so. Certificates are made with openssl (skipped without).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { makeDaemonDirs, runDaemonOnce, startDaemon } from '../../helpers/daemon.js';

const haveOpenssl = spawnSync('openssl', ['version']).status === 0;
const DOCKER = '/usr/local/bin/docker';
const SKIFF = resolve('bin/skiff');

function makeCerts(dir: string): void {
  const run = (args: string[]): void => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  };
  writeFileSync(join(dir, 'ext'), 'subjectAltName=IP:127.0.0.1\n');
  writeFileSync(join(dir, 'cext'), 'extendedKeyUsage=clientAuth\n');
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=ca']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'ext']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'c.csr', '-subj', '/CN=client']);
  run(['x509', '-req', '-in', 'c.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'cert.pem', '-days', '1', '-extfile', 'cext']);
  // A second CA and a client certificate it signed: well-formed, but not for this daemon.
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other-ca.key', '-out', 'other-ca.pem', '-days', '1', '-subj', '/CN=other']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other-key.pem', '-out', 'o.csr', '-subj', '/CN=intruder']);
  run(['x509', '-req', '-in', 'o.csr', '-CA', 'other-ca.pem', '-CAkey', 'other-ca.key', '-CAcreateserial', '-out', 'other-cert.pem', '-days', '1', '-extfile', 'cext']);
}

function get(port: number, ca: Buffer, cert?: Buffer, key?: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/_ping', ca, cert, key }, (res) => {
      let s = '';
      res.on('data', (d: Buffer) => (s += d.toString()));
      res.on('end', () => resolve(s));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A CLI run with an empty config dir (no ~/.docker certificates to fall back on), bounded. */
function cli(bin: 'skiff' | 'docker', args: string[], cfg: string): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_CONFIG: cfg };
  for (const k of ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_API_VERSION']) delete env[k];
  const [cmd, argv] = bin === 'skiff' ? [process.execPath, [SKIFF, ...args]] : [DOCKER, args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL', env, input: '' });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

test('tcp + --tlsverify: the CA\'s client certificates are served, others refused (https, skiff, docker)', { skip: haveOpenssl ? false : 'openssl is not installed' }, async () => {
  const certs = mkdtempSync(join(tmpdir(), 'skiff-tls-'));
  const cfg = mkdtempSync(join(tmpdir(), 'skiff-tls-cfg-'));
  makeCerts(certs);
  const port = 20000 + Math.floor(Math.random() * 20000);
  const d = await startDaemon({
    args: ['-H', `tcp://127.0.0.1:${port}`, '--tlsverify', '--tlscacert', join(certs, 'ca.pem'),
      '--tlscert', join(certs, 'server.pem'), '--tlskey', join(certs, 'server.key')],
  });
  try {
    const ca = readFileSync(join(certs, 'ca.pem'));
    const f = (n: string): Buffer => readFileSync(join(certs, n));
    assert.equal(await get(port, ca, f('cert.pem'), f('key.pem')), 'OK');
    await assert.rejects(get(port, ca));
    await assert.rejects(get(port, ca, f('other-cert.pem'), f('other-key.pem')));

    const host = ['-H', `tcp://127.0.0.1:${port}`];
    const valid = [...host, '--tlsverify', '--tlscacert', join(certs, 'ca.pem'), '--tlscert', join(certs, 'cert.pem'), '--tlskey', join(certs, 'key.pem')];
    const noCert = [...host, '--tlsverify', '--tlscacert', join(certs, 'ca.pem')];
    const otherCA = [...host, '--tlsverify', '--tlscacert', join(certs, 'ca.pem'), '--tlscert', join(certs, 'other-cert.pem'), '--tlskey', join(certs, 'other-key.pem')];
    const bins: ('skiff' | 'docker')[] = existsSync(DOCKER) ? ['skiff', 'docker'] : ['skiff'];
    if (bins.length === 1) console.log(`# ${DOCKER} is not installed: only skiff is checked`);
    /** The failures' stderr per CLI, compared at the end (API version in URLs masked). */
    const failures: Record<string, string[]> = { skiff: [], docker: [] };
    for (const bin of bins) {
      const ok = cli(bin, [...valid, 'version', '--format', '{{.Server.Os}}'], cfg);
      assert.equal(ok.status, 0, `${bin} with a valid certificate: ${ok.stderr}`);
      assert.equal(ok.stdout, 'linux\n');
      // The same certificates found through DOCKER_CERT_PATH + DOCKER_TLS_VERIFY.
      const viaEnv = spawnSync(bin === 'skiff' ? process.execPath : DOCKER, [...(bin === 'skiff' ? [SKIFF] : []), ...host, 'version', '--format', '{{.Server.Os}}'], {
        encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL', env: { ...process.env, DOCKER_CONFIG: cfg, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs },
      });
      assert.equal(viaEnv.status, 0, `${bin} with DOCKER_CERT_PATH: ${viaEnv.stderr}`);
      for (const [what, args] of [['no client certificate', noCert], ['a certificate from another CA', otherCA]] as const) {
        const r = cli(bin, [...args, 'version', '--format', '{{.Server.Os}}'], cfg);
        assert.notEqual(r.status, 0, `${bin} with ${what} was served`);
        assert.equal(r.stdout.includes('linux'), false);
        assert.doesNotMatch(r.stderr, /\n\s+at /, `${bin}: no stack trace`);
        failures[bin]!.push(r.stderr);
      }
      // Plain HTTP to the TLS port is no way in either.
      const plain = cli(bin, [...host, 'version', '--format', '{{.Server.Os}}'], cfg);
      assert.notEqual(plain.status, 0);
      failures[bin]!.push(plain.stderr);
    }
    assert.match(failures['skiff']![0]!, /^error during connect: Get "https:\/\/127\.0\.0\.1:\d+\/v[\d.]+\/version": remote error: tls: /);
    assert.match(failures['skiff']![2]!, /^error during connect: Get "http:\/\/127\.0\.0\.1:\d+\/v[\d.]+\/version": EOF\n$/);
    assert.match(failures['skiff']![1]!, /^error during connect: Get "https:\/\/127\.0\.0\.1:\d+\/v[\d.]+\/version": /);
    if (bins.includes('docker')) {
      // (A certificate from another CA: the server's alert reaches Go's client, while Node's
      // sometimes sees the connection close first — "EOF" — so that one is compared loosely.)
      const v = (t: string): string => t.replace(/\/v\d+\.\d+\//g, '/vX/');
      for (const i of [0, 2]) assert.equal(v(failures['skiff']![i]!), v(failures['docker']![i]!), 'skiff words TLS failures as docker does');
    }
  } finally {
    try {
      await d.stop();
    } finally {
      rmSync(certs, { recursive: true, force: true });
      rmSync(cfg, { recursive: true, force: true });
    }
  }
});

test('plain tcp on a non-loopback address is refused unless --tlsverify=false is given', async () => {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const dirs = makeDaemonDirs();
  try {
    const r = await runDaemonOnce([...dirs.args, '-H', `tcp://0.0.0.0:${port}`]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /refusing to listen on tcp:\/\/0\.0\.0\.0:\d+ without TLS client verification/);
  } finally {
    rmSync(dirs.dir, { recursive: true, force: true });
  }

  // Allowed explicitly: on an address of a veth pair of this test's own, so nothing is exposed.
  const link = `skt${process.pid.toString(36).slice(-6)}`;
  const addr = `198.18.${process.pid % 250}.1`;
  const ip = (args: string[]): void => {
    const r = spawnSync('ip', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr}`);
  };
  ip(['link', 'add', link, 'type', 'veth', 'peer', 'name', `${link}p`]);
  try {
    ip(['addr', 'add', `${addr}/32`, 'dev', link]);
    ip(['link', 'set', link, 'up']);
    ip(['link', 'set', `${link}p`, 'up']);
    const d = await startDaemon({ args: ['-H', `tcp://${addr}:${port}`, '--tlsverify=false'] });
    try {
      await d.waitForLog(`API listen on ${addr}:${port}`);
      const ping = (): Promise<string> => new Promise<string>((resolve, reject) => {
        const req = httpRequest({ host: addr, port, path: '/_ping' }, (res) => {
          let s = '';
          res.on('data', (c: Buffer) => (s += c.toString()));
          res.on('end', () => resolve(s));
        });
        req.on('error', reject);
        req.end();
      });
      // A refused connect is retried briefly: twice this session, under a full test run, the
      // fresh /32 on the fresh veth refused the first connection though the daemon had logged
      // its listener (cause not found).
      let body = '';
      for (let i = 0; ; i++) {
        try {
          body = await ping();
          break;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ECONNREFUSED' || i >= 30) throw e;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      assert.equal(body, 'OK');
    } finally {
      await d.stop();
    }
  } finally {
    spawnSync('ip', ['link', 'del', link]); // its peer goes with it
  }
});
