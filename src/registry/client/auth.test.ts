import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EngineError } from '../../common/errors.js';
import { digestOf } from '../../containerd/content/digest.js';
import { parseChallenges } from './auth.js';
import { RegistryClient, StaticCredentials } from './index.js';

test('WWW-Authenticate parsing', () => {
  assert.deepEqual(parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"'), [
    { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:samalba/my-app:pull,push' } },
  ]);
  assert.deepEqual(parseChallenges('Basic realm="Registry Realm"'), [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]);
  assert.deepEqual(parseChallenges(['Basic realm="a", Bearer realm="b",service=s', 'Negotiate']).map((c) => c.scheme), ['basic', 'bearer', 'negotiate']);
  assert.deepEqual(parseChallenges('Bearer realm="q\\"uote"').at(0)?.params, { realm: 'q"uote' });
  assert.deepEqual(parseChallenges(undefined), []);
});

/** A fake registry with a token server, enough to drive the Bearer flow and a redirect. */
const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: digestOf('{}'), size: 2 }, layers: [] }));
const tokenRequests: URL[] = [];
const storageHeaders: http.IncomingHttpHeaders[] = [];
const issued = new Map<string, string[]>();
let registry: http.Server;
let storage: http.Server;
let host: string;

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<http.Server> {
  return new Promise((resolve) => {
    const srv = http.createServer(handler);
    srv.listen(0, '127.0.0.1', () => resolve(srv));
  });
}

before(async () => {
  storage = await listen((req, res) => {
    storageHeaders.push(req.headers);
    res.end('{}');
  });
  const storagePort = (storage.address() as AddressInfo).port;
  registry = await listen((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (url.pathname === '/token') {
      tokenRequests.push(url);
      const auth = req.headers.authorization;
      if (auth !== undefined && auth !== `Basic ${Buffer.from('alice:pw').toString('base64')}`) {
        res.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ details: 'incorrect username or password' }));
        return;
      }
      const token = `tok-${tokenRequests.length}`;
      issued.set(token, [...url.searchParams.getAll('scope'), ...(auth ? ['user:alice'] : [])]);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: token, expires_in: 300 }));
      return;
    }
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const scopes = issued.get(token) ?? [];
    if (url.pathname === '/v2/' && issued.has(token)) {
      res.writeHead(200).end('{}');
      return;
    }
    const repo = /^\/v2\/(.+)\/(manifests|blobs)\//.exec(url.pathname)?.[1];
    const allowed = repo !== undefined && scopes.includes(`repository:${repo}:pull`) && (!repo.startsWith('private/') || scopes.includes('user:alice'));
    if (!allowed) {
      res.writeHead(401, {
        'WWW-Authenticate': `Bearer realm="http://${host}/token",service="fake"${repo ? `,scope="repository:${repo}:pull"` : ''}`,
        'Content-Type': 'application/json',
      }).end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      return;
    }
    if (url.pathname.includes('/blobs/')) {
      res.writeHead(307, { Location: `http://127.0.0.1:${storagePort}/storage/blob` }).end();
      return;
    }
    const digest = repo === 'lib/bad' ? digestOf('something else') : digestOf(manifest);
    res.writeHead(200, { 'Content-Type': 'application/vnd.docker.distribution.manifest.v2+json', 'Docker-Content-Digest': digest }).end(manifest);
  });
  host = `127.0.0.1:${(registry.address() as AddressInfo).port}`;
});

after(() => {
  registry.close();
  storage.close();
});

test('anonymous Bearer flow: one token per scope, cached', async () => {
  const client = new RegistryClient({ certsDirs: [] });
  try {
    tokenRequests.length = 0;
    const r = await client.resolve(`${host}/lib/app:v1`);
    assert.equal(r.digest, digestOf(manifest));
    await client.resolve(`${host}/lib/app:v1`);
    assert.equal(tokenRequests.length, 1);
    assert.equal(tokenRequests[0]?.searchParams.get('service'), 'fake');
    assert.deepEqual(tokenRequests[0]?.searchParams.getAll('scope'), ['repository:lib/app:pull']);
    assert.equal(tokenRequests[0]?.searchParams.get('account'), null);
  } finally {
    client.close();
  }
});

test('Bearer flow with credentials; wrong ones are unauthorized with the server\'s reason', async () => {
  const good = new RegistryClient({ certsDirs: [], credentials: new StaticCredentials({ [host]: { username: 'alice', password: 'pw' } }) });
  const bad = new RegistryClient({ certsDirs: [], credentials: new StaticCredentials({ [host]: { username: 'alice', password: 'nope' } }) });
  const anon = new RegistryClient({ certsDirs: [] });
  try {
    tokenRequests.length = 0;
    assert.equal((await good.resolve(`${host}/private/app:v1`)).digest, digestOf(manifest));
    assert.equal(tokenRequests.at(-1)?.searchParams.get('account'), 'alice');
    await assert.rejects(bad.resolve(`${host}/private/app:v1`), (e: unknown) => e instanceof EngineError && e.kind === 'unauthorized' && e.message === 'unauthorized: incorrect username or password');
    await assert.rejects(anon.resolve(`${host}/private/app:v1`), (e: unknown) => e instanceof EngineError && e.kind === 'unauthorized' && /authentication required/.test(e.message));
    assert.deepEqual(await good.login(host, 'alice', 'pw'), { status: 'Login Succeeded' });
    await assert.rejects(good.login(host, 'alice', 'nope'), (e: unknown) => e instanceof EngineError && e.kind === 'unauthorized');
  } finally {
    good.close();
    bad.close();
    anon.close();
  }
});

test('a manifest whose bytes do not match the announced digest is refused', async () => {
  const client = new RegistryClient({ certsDirs: [] });
  try {
    await assert.rejects(client.resolve(`${host}/lib/bad:v1`), (e: unknown) => e instanceof EngineError && e.kind === 'failed-precondition' && /manifest verification failed/.test(e.message));
  } finally {
    client.close();
  }
});

test('blob redirects are followed without the registry\'s Authorization', async () => {
  const client = new RegistryClient({ certsDirs: [] });
  try {
    const chunks: Buffer[] = [];
    for await (const c of await client.fetchBlob(`${host}/lib/app`, { digest: digestOf('{}'), size: 2 })) chunks.push(c as Buffer);
    assert.equal(Buffer.concat(chunks).toString(), '{}');
    assert.equal(storageHeaders.at(-1)?.authorization, undefined);
  } finally {
    client.close();
  }
});

test('a Docker Hub mirror serves pulls of Hub images', async () => {
  const client = new RegistryClient({ certsDirs: [], mirrors: [`http://${host}`] });
  try {
    // The fake answers any repository the token grants, so library/app stands in for a Hub image.
    const r = await client.resolve('lib/app:v1');
    assert.equal(r.digest, digestOf(manifest));
    assert.equal(r.name.toString(), `docker.io/lib/app@${digestOf(manifest)}`);
  } finally {
    client.close();
  }
});
