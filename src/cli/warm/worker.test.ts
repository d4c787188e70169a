/**
 * What a warm pool process makes of a connection that is not skiff-launch's message: each is
 * refused with an error (the process then closes the connection and skiff-launch starts cold),
 * never taken as a command. The client is another process: readRequest blocks this one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRequest } from './worker.js';

/** Starts a client process that sends `payload` (a JS expression for a Buffer), then waits. */
async function withClient(payload: string, fn: (socket: Socket) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-warm-unit-'));
  const path = join(dir, 's.sock');
  const server = createServer({ pauseOnConnect: true });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const connected = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const client = spawn(process.execPath, ['-e', `const s = require('node:net').connect(${JSON.stringify(path)}, () => s.write(${payload}, () => setTimeout(() => s.end(), 3000)));`], { stdio: 'ignore' });
  try {
    const socket = await connected;
    // Let the client's bytes arrive before the (blocking) read.
    await new Promise((r) => setTimeout(r, 100));
    try {
      fn(socket);
    } finally {
      socket.destroy();
    }
  } finally {
    client.kill('SIGKILL');
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const fdOf = (s: Socket): number => (s as unknown as { _handle: { fd: number } })._handle.fd;

test('a message without the magic is refused', () => withClient(`Buffer.from('GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n')`, (s) => {
  assert.throws(() => readRequest(fdOf(s)), /not a skiff-launch message/);
}));

test('a well-formed message without the three descriptors is refused', () => withClient(
  `(() => { const p = Buffer.from('/\\0version\\0'); const h = Buffer.alloc(24); h.write('SKF1'); h.writeUInt32LE(0o22, 4); h.writeUInt32LE(1, 8); h.writeUInt32LE(0, 12); h.writeUInt32LE(p.length, 20); return Buffer.concat([h, p]); })()`,
  (s) => {
    assert.throws(() => readRequest(fdOf(s)), /sent 0 descriptors, not 3/);
  },
));

test('a message cut short is refused once the read times out', () => withClient(`Buffer.from('SKF1')`, (s) => {
  const t0 = Date.now();
  assert.throws(() => readRequest(fdOf(s)), /sent no command/);
  assert.ok(Date.now() - t0 < 5000);
}));
