/**
 * GET /containers/{id}/attach/ws against a real skiffd, with the `ws` package as the client (over
 * the unix socket): output arrives as binary frames (text below API 1.28), messages reach the
 * container's stdin, logs=1 replays, a tty container's detach keys end the session and leave it
 * running, and bad requests get Docker's statuses before any handshake.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startDaemon, type TestDaemon } from '../../helpers/daemon.js';
import { importBusybox } from '../cli/harness.js';

let d: TestDaemon;
const created: string[] = [];

before(async () => {
  d = await startDaemon();
  await importBusybox(d.host);
});

after(async () => {
  for (const id of created) await d.request('DELETE', `/containers/${id}?force=1`);
  await d.stop();
});

async function create(name: string, body: Record<string, unknown>): Promise<string> {
  const r = await d.request('POST', `/containers/create?name=${name}`, {
    body: { Image: 'busybox', OpenStdin: true, HostConfig: { NetworkMode: 'none' }, ...body },
  });
  assert.equal(r.status, 201, r.body);
  const id = r.json<{ Id: string }>().Id;
  created.push(id);
  return id;
}

async function start(id: string): Promise<void> {
  const r = await d.request('POST', `/containers/${id}/start`);
  assert.equal(r.status, 204, r.body);
}

interface Session {
  ws: WebSocket;
  text(): string;
  binary: boolean[];
  closed: Promise<void>;
  until(what: string, check: (text: string) => boolean, ms?: number): Promise<void>;
}

function connect(path: string): Promise<Session> {
  const ws = new WebSocket(`ws+unix://${d.socket}:${path}`);
  const chunks: Buffer[] = [];
  const binary: boolean[] = [];
  const closed = new Promise<void>((r) => ws.on('close', () => r()));
  ws.on('message', (data: Buffer, isBinary: boolean) => { chunks.push(data); binary.push(isBinary); });
  const text = () => Buffer.concat(chunks).toString('latin1');
  const s: Session = {
    ws, text, binary, closed,
    async until(what, check, ms = 15_000) {
      const end = Date.now() + ms;
      while (!check(text())) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(text())}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(s));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
  });
}

test('output arrives in binary frames and input reaches the container', async () => {
  const id = await create('ws1', { Cmd: ['sh', '-c', 'read line; echo got:$line; echo err >&2'], StdinOnce: true });
  const s = await connect(`/v1.47/containers/${id}/attach/ws?stream=1&stdin=1&stdout=1&stderr=1`);
  await start(id);
  s.ws.send('hello\n');
  await s.closed; // the container exits, the daemon closes the websocket
  assert.equal(s.text().split('\n').sort().join('\n'), '\nerr\ngot:hello');
  assert.ok(s.binary.length > 0 && s.binary.every(Boolean), 'binary frames from API 1.28 on');
  const w = await d.request('POST', `/containers/${id}/wait`);
  assert.equal(w.json().StatusCode, 0);
});

test('below API 1.28: text frames; below 1.42 every stream is attached whatever the parameters say', async () => {
  const id = await create('ws2', { Cmd: ['sh', '-c', 'read line; echo out:$line'] });
  await start(id);
  const s = await connect(`/v1.27/containers/${id}/attach/ws?stream=1`);
  s.ws.send('abc\n');
  await s.until('the echo', (t) => t === 'out:abc\n');
  await s.closed;
  assert.ok(s.binary.every((b) => !b), 'text frames');
});

test('logs=1 replays what the container wrote; stream=0 ends after it', async () => {
  const id = await create('ws3', { Cmd: ['sh', '-c', 'echo one; echo two >&2'], OpenStdin: false });
  await start(id);
  await d.request('POST', `/containers/${id}/wait`);
  const s = await connect(`/v1.47/containers/${id}/attach/ws?logs=1&stdout=1`);
  await s.closed;
  assert.equal(s.text(), 'one\n');
  const both = await connect(`/v1.47/containers/${id}/attach/ws?logs=1&stdout=1&stderr=1`);
  await both.closed;
  assert.equal(both.text().split('\n').sort().join('\n'), '\none\ntwo');
});

test('a tty container: ctrl-p is held until the next key, ctrl-p ctrl-q detaches and it keeps running', async () => {
  const script = 'stty raw -echo; while :; do dd bs=1 count=1 2>/dev/null | od -An -tx1; done';
  const id = await create('ws4', { Tty: true, Cmd: ['sh', '-c', script] });
  await start(id);
  const s = await connect(`/v1.47/containers/${id}/attach/ws?stream=1&stdin=1&stdout=1`);
  s.ws.send(Buffer.from('x'));
  await s.until('x echoed', (t) => t.includes('78'));
  s.ws.send(Buffer.from([0x10]));
  await new Promise((r) => setTimeout(r, 500));
  assert.ok(!s.text().includes('10'), `ctrl-p held back, got ${JSON.stringify(s.text())}`);
  s.ws.send(Buffer.from('y'));
  await s.until('ctrl-p and y', (t) => /10[\s\S]*79/.test(t));
  s.ws.send(Buffer.from([0x10]));
  await new Promise((r) => setTimeout(r, 300));
  s.ws.send(Buffer.from([0x11]));
  await s.closed;
  assert.equal(s.text().match(/10/g)?.length, 1, `the detach keys never reached the container: ${JSON.stringify(s.text())}`);
  const r = await d.request('GET', `/containers/${id}/json`);
  assert.equal(r.json().State.Running, true);
});

test('bad requests: 404 for no such container, 400 without a websocket handshake; an exited container is attached when it starts again', async () => {
  await assert.rejects(connect('/v1.47/containers/nope/attach/ws?stream=1'), { status: 404 });
  const r = await d.request('GET', '/v1.47/containers/nope/attach/ws');
  assert.equal(r.status, 404);
  assert.equal(r.json().message, 'No such container: nope');
  const id = await create('ws5', { Cmd: ['true'] });
  const plain = await d.request('GET', `/v1.47/containers/${id}/attach/ws?stream=1`);
  assert.equal(plain.status, 400);
  const bad = await d.request('GET', `/v1.47/containers/${id}/attach/ws?stream=1&detachKeys=ctrl-1`);
  assert.equal(bad.status, 400);
  assert.match(bad.json().message, /Invalid detach keys/);
  await start(id);
  await d.request('POST', `/containers/${id}/wait`);
  // As dockerd: the attach waits for the next start, then streams until the exit.
  const again = await create('ws6', { Cmd: ['sh', '-c', 'echo run-$RANDOM-done'] });
  await start(again);
  await d.request('POST', `/containers/${again}/wait`);
  const s = await connect(`/v1.47/containers/${again}/attach/ws?stream=1&stdout=1`);
  await start(again);
  await s.until('the second run\'s output', (t) => /run-\d+-done\n/.test(t));
  await s.closed;
});
