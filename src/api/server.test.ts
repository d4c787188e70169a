/**
 * The server in-process on a temporary unix socket: error bodies and statuses, JSON body
 * handling, query validation, streaming, and hijacking with `Upgrade: tcp` including the
 * half-close `docker run -i` relies on (stdin EOF seen while output still flows).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conflict, notFound } from '../common/errors.js';
import { listen } from './listen.js';
import { queryBool, queryInt } from './query.js';
import type { Route } from './route.js';
import { ApiServer } from './server.js';

const dir = mkdtempSync(join(tmpdir(), 'skiff-api-test-'));
const sock = join(dir, 'api.sock');

const routes: Route[] = [
  { method: 'GET', path: '/containers/{id}/json', handler: async (req) => { throw notFound('container', req.params['id']!); } },
  { method: 'POST', path: '/containers/{id}/start', handler: async () => { throw conflict('already started'); } },
  { method: 'POST', path: '/echo', handler: async (req, res) => res.json(201, { got: await req.json(), all: queryBool(req.query, 'all'), n: queryInt(req.query, 'n', 7) }) },
  { method: 'GET', path: '/new', minVersion: '1.50', handler: async (_req, res) => res.empty() },
  { method: 'GET', path: '/stream', handler: async (_req, res) => {
    const out = res.stream(200, 'application/json');
    out.write('{"a":1}\n');
    out.end('{"b":2}\n');
  } },
  { method: 'POST', path: '/containers/{id}/attach', handler: async (req, res) => {
    const body = await req.json<{ x?: number }>();
    const s = await res.hijack('application/vnd.docker.raw-stream');
    let input = '';
    s.on('data', (d: Buffer) => (input += d.toString()));
    s.on('end', () => {
      // Input closed by the client; output still flows on the same socket.
      setTimeout(() => s.end(`echo:${input}:${body?.x ?? ''}`), 20);
    });
  } },
];

const api = new ApiServer({ routes });
const ready = listen(api, `unix://${sock}`, {});
after(async () => {
  await api.close(100);
  rmSync(dir, { recursive: true, force: true });
});

function call(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: sock, method, path, headers: body ? { 'Content-Type': 'application/json', ...headers } : headers }, (res) => {
      let s = '';
      res.on('data', (d: Buffer) => (s += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body: s, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('errors become statuses with {"message"} bodies', async () => {
  await ready;
  const r = await call('GET', '/v1.45/containers/abc/json');
  assert.equal(r.status, 404);
  assert.deepEqual(JSON.parse(r.body), { message: 'No such container: abc' });
  assert.equal(r.headers['api-version'], '1.56');
  assert.equal((await call('POST', '/containers/x/start')).status, 409);
  const nf = await call('GET', '/nope');
  assert.equal(nf.status, 404);
  assert.deepEqual(JSON.parse(nf.body), { message: 'page not found' });
  assert.equal((await call('DELETE', '/echo')).status, 404);
});

test('route minimum versions', async () => {
  await ready;
  const r = await call('GET', '/v1.49/new');
  assert.equal(r.status, 400);
  assert.equal(JSON.parse(r.body).message, 'GET /v1.49/new requires minimum API version 1.50');
  assert.equal((await call('GET', '/v1.50/new')).status, 204);
});

test('JSON bodies and query values', async () => {
  await ready;
  const ok = await call('POST', '/echo?all=1&n=3&unknown=x', '{"a":[1]}');
  assert.equal(ok.status, 201);
  assert.deepEqual(JSON.parse(ok.body), { got: { a: [1] }, all: true, n: 3 });
  const bad = await call('POST', '/echo', '{"a":');
  assert.equal(bad.status, 400);
  assert.match(JSON.parse(bad.body).message, /^invalid JSON: /);
  const ct = await call('POST', '/echo', '{}', { 'Content-Type': 'text/plain' });
  assert.equal(ct.status, 400);
  assert.equal(JSON.parse(ct.body).message, "unsupported Content-Type header (text/plain): must be 'application/json'");
  assert.equal((await call('POST', '/echo?all=maybe')).status, 400);
  assert.equal((await call('POST', '/echo?n=abc')).status, 400);
  assert.deepEqual(JSON.parse((await call('POST', '/echo')).body), { all: false, n: 7 });
});

test('streams', async () => {
  await ready;
  const r = await call('GET', '/stream');
  assert.equal(r.status, 200);
  assert.equal(r.body, '{"a":1}\n{"b":2}\n');
});

test('hijack with Upgrade: 101, body read first, half-close keeps output flowing', async () => {
  await ready;
  const s = connect(sock);
  const body = '{"x":5}';
  let got = '';
  const done = new Promise<void>((resolve) => s.on('end', resolve));
  s.on('data', (d: Buffer) => {
    got += d.toString();
  });
  // Head, body and early stdin in one write, as a fast client may send them.
  s.write(
    `POST /v1.47/containers/c1/attach?stream=1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}hello `,
  );
  await new Promise((r) => setTimeout(r, 50));
  s.end('world');
  await done;
  assert.match(got, /^HTTP\/1\.1 101 UPGRADED\r\n/);
  assert.match(got, /Content-Type: application\/vnd\.docker\.raw-stream\r\n/);
  assert.match(got, /Upgrade: tcp\r\n/);
  assert.ok(got.endsWith('\r\n\r\necho:hello world:5'), got);
});

test('an upgrade request that fails before hijacking gets a normal error response', async () => {
  await ready;
  const s = connect(sock);
  let got = '';
  s.on('data', (d: Buffer) => (got += d.toString()));
  const done = new Promise<void>((resolve) => s.on('close', () => resolve()));
  s.write('GET /containers/zz/json HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n');
  await done;
  assert.match(got, /^HTTP\/1\.1 404 Not Found\r\n/);
  assert.ok(got.includes('{"message":"No such container: zz"}'));
});
