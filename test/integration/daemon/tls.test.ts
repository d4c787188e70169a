/**
 * A tcp listener with --tlsverify: clients with a certificate from the CA are served, clients
 * without one are refused at the handshake. Certificates are made with openssl (skipped without).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon } from '../../helpers/daemon.js';

const haveOpenssl = spawnSync('openssl', ['version']).status === 0;

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

test('tcp + --tlsverify requires a client certificate', { skip: haveOpenssl ? false : 'openssl is not installed' }, async () => {
  const certs = mkdtempSync(join(tmpdir(), 'skiff-tls-'));
  makeCerts(certs);
  const port = 20000 + Math.floor(Math.random() * 20000);
  const d = await startDaemon({
    args: ['-H', `tcp://127.0.0.1:${port}`, '--tlsverify', '--tlscacert', join(certs, 'ca.pem'),
      '--tlscert', join(certs, 'server.pem'), '--tlskey', join(certs, 'server.key')],
  });
  try {
    const ca = readFileSync(join(certs, 'ca.pem'));
    assert.equal(await get(port, ca, readFileSync(join(certs, 'cert.pem')), readFileSync(join(certs, 'key.pem'))), 'OK');
    await assert.rejects(get(port, ca));
  } finally {
    try {
      await d.stop();
    } finally {
      rmSync(certs, { recursive: true, force: true });
    }
  }
});
