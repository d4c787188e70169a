/**
 * The CAs bin/skiff takes out of NODE_EXTRA_CA_CERTS (as SKIFF_EXTRA_CA_CERTS) come back when a
 * connection verifies against the default roots: a TLS server on 127.0.0.1 whose certificate a
 * private CA signed is trusted with them and refused without them. Certificates come from openssl.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer, rootCertificates, type ConnectionOptions } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { defaultRootsWithDeferredExtras, parseHost } from './transport.js';

const haveOpenssl = spawnSync('openssl', ['version']).status === 0;

function makeCerts(dir: string): void {
  const run = (...args: string[]): void => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  };
  writeFileSync(join(dir, 'ext'), 'subjectAltName=IP:127.0.0.1\n');
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=skiff test CA');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'req.csr', '-subj', '/CN=127.0.0.1');
  run('x509', '-req', '-in', 'req.csr', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', 'cert.pem', '-days', '2', '-extfile', 'ext');
}

/** Resolves 'ok' on a verified handshake, else the verification error's code. */
function handshake(port: number, ca: ConnectionOptions['ca']): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port, ca, rejectUnauthorized: true }, () => {
      s.end();
      resolve('ok');
    });
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

test('deferred NODE_EXTRA_CA_CERTS: added to the default roots only when set', { skip: haveOpenssl ? false : 'openssl is not installed' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-extra-ca-'));
  try {
    makeCerts(dir);
    const tlsServer = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (s) => s.end());
    await new Promise<void>((r) => tlsServer.listen(0, '127.0.0.1', r));
    const { port } = tlsServer.address() as AddressInfo;
    try {
      // Nothing deferred: Node's defaults, which do not know the private CA.
      assert.equal(defaultRootsWithDeferredExtras({}), undefined);
      assert.equal(await handshake(port, undefined), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');

      const roots = defaultRootsWithDeferredExtras({ SKIFF_EXTRA_CA_CERTS: join(dir, 'ca.pem') });
      assert.ok(roots);
      assert.equal(roots.length, rootCertificates.length + 1, 'the default roots plus the extra file');
      assert.equal(await handshake(port, roots), 'ok');

      // The client's endpoint for --tlsverify without a CA file of its own trusts the same roots.
      const saved = process.env['SKIFF_EXTRA_CA_CERTS'];
      process.env['SKIFF_EXTRA_CA_CERTS'] = join(dir, 'ca.pem');
      try {
        const ep = parseHost(`tcp://127.0.0.1:${port}`, { enabled: true, verify: true });
        assert.equal(await handshake(port, ep.tls?.ca), 'ok');
        // An explicit CA replaces the defaults, extras included, as in Node.
        writeFileSync(join(dir, 'other.pem'), rootCertificates[0]!);
        const own = parseHost(`tcp://127.0.0.1:${port}`, { enabled: true, verify: true, caFile: join(dir, 'other.pem') });
        assert.equal(await handshake(port, own.tls?.ca), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
      } finally {
        if (saved === undefined) delete process.env['SKIFF_EXTRA_CA_CERTS'];
        else process.env['SKIFF_EXTRA_CA_CERTS'] = saved;
      }
    } finally {
      tlsServer.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('deferred NODE_EXTRA_CA_CERTS: an unreadable file warns in Node\'s words and keeps the defaults', () => {
  const file = join(tmpdir(), 'skiff-no-such-ca.pem');
  const writes: string[] = [];
  const orig = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string) => (writes.push(String(s)), true)) as typeof process.stderr.write;
  let roots: string[] | undefined;
  try {
    roots = defaultRootsWithDeferredExtras({ SKIFF_EXTRA_CA_CERTS: file });
  } finally {
    process.stderr.write = orig;
  }
  assert.equal(roots, undefined);
  assert.match(writes.join(''), new RegExp(`^Warning: Ignoring extra certs from \`${file}\`, load failed: .*no such file`));
});
