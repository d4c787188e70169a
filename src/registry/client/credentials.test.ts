import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerConfigCredentials, StaticCredentials, convertToHostname, dockerConfigDir } from './credentials.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

async function withConfig(cfg: unknown, fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-dockercfg-'));
  try {
    await writeFile(join(dir, 'config.json'), JSON.stringify(cfg));
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('config dir: $DOCKER_CONFIG, else ~/.docker', () => {
  assert.equal(dockerConfigDir({ DOCKER_CONFIG: '/x' }), '/x');
  assert.match(dockerConfigDir({}), /\.docker$/);
  assert.equal(convertToHostname('https://index.docker.io/v1/'), 'index.docker.io');
  assert.equal(convertToHostname('http://reg:5000/v2/'), 'reg:5000');
});

test('auths: base64 auth, separate fields, identity tokens, any spelling of the key', async () => {
  await withConfig({
    auths: {
      'https://index.docker.io/v1/': { auth: b64('hubuser:hub:pw') },
      'reg.example:5000': { username: 'u', password: 'p' },
      'https://other.example/v1/': { auth: b64('x:y') },
      'tok.example': { identitytoken: 'refresh-me' },
    },
  }, async (dir) => {
    const c = new DockerConfigCredentials({ configDir: dir, env: {} });
    assert.deepEqual(await c.get('https://index.docker.io/v1/'), { username: 'hubuser', password: 'hub:pw' });
    assert.deepEqual(await c.get('reg.example:5000'), { username: 'u', password: 'p' });
    assert.deepEqual(await c.get('other.example'), { username: 'x', password: 'y' });
    assert.deepEqual(await c.get('tok.example'), { identityToken: 'refresh-me' });
    assert.equal(await c.get('unknown.example'), undefined);
  });
});

test('DOCKER_AUTH_CONFIG comes first; a missing file means no credentials', async () => {
  await withConfig({ auths: { 'reg:1': { auth: b64('file:pw') } } }, async (dir) => {
    const env = { DOCKER_AUTH_CONFIG: JSON.stringify({ auths: { 'reg:1': { auth: b64('env:pw') } } }) };
    assert.deepEqual(await new DockerConfigCredentials({ configDir: dir, env }).get('reg:1'), { username: 'env', password: 'pw' });
  });
  assert.equal(await new DockerConfigCredentials({ configDir: '/nonexistent-skiff', env: {} }).get('reg:1'), undefined);
});

test('credHelpers and credsStore run docker-credential-<name> get', async () => {
  const bin = await mkdtemp(join(tmpdir(), 'skiff-helper-'));
  const oldPath = process.env['PATH'];
  try {
    // The helper answers from the server URL it reads on stdin.
    await writeFile(join(bin, 'docker-credential-fake'), `#!/bin/sh
read url
case "$url" in
  helper.example) echo '{"ServerURL":"helper.example","Username":"hu","Secret":"hs"}' ;;
  token.example) echo '{"ServerURL":"token.example","Username":"<token>","Secret":"idtok"}' ;;
  *) echo "credentials not found in native keychain"; exit 1 ;;
esac
`);
    await chmod(join(bin, 'docker-credential-fake'), 0o755);
    process.env['PATH'] = `${bin}:${oldPath ?? ''}`;
    await withConfig({ credHelpers: { 'helper.example': 'fake' }, auths: { 'helper.example': {}, 'file.example': { auth: b64('f:p') } } }, async (dir) => {
      const c = new DockerConfigCredentials({ configDir: dir, env: {} });
      assert.deepEqual(await c.get('helper.example'), { username: 'hu', password: 'hs' });
      assert.deepEqual(await c.get('file.example'), { username: 'f', password: 'p' });
    });
    await withConfig({ credsStore: 'fake' }, async (dir) => {
      const c = new DockerConfigCredentials({ configDir: dir, env: {} });
      assert.deepEqual(await c.get('token.example'), { identityToken: 'idtok' });
      assert.equal(await c.get('nothing.example'), undefined);
    });
    await withConfig({ credsStore: 'absent' }, async (dir) => {
      await assert.rejects(new DockerConfigCredentials({ configDir: dir, env: {} }).get('x'), { message: /docker-credential-absent.*not found/ });
    });
  } finally {
    process.env['PATH'] = oldPath;
    await rm(bin, { recursive: true, force: true });
  }
});

test('StaticCredentials match any spelling of the server', async () => {
  const c = new StaticCredentials({ 'https://reg:5000/v1/': { username: 'a', password: 'b' }, 'docker.io': { username: 'h' } });
  assert.deepEqual(await c.get('reg:5000'), { username: 'a', password: 'b' });
  assert.deepEqual(await c.get('https://index.docker.io/v1/'), { username: 'h' });
});
