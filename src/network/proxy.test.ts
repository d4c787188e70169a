/**
 * The TCP userland proxy between two loopback ends (no root needed): bytes arrive whole and in
 * order through the splice relay, half-close carries a request's end to the server and its
 * reply back, closing the proxy ends its open connections, and no descriptor is left behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { startProxy } from './proxy.js';

/** A server that hashes what it receives and answers `<bytes> <sha256>` after the client's end. */
async function hashServer(): Promise<Server> {
  const srv = createServer({ allowHalfOpen: true }, (s) => {
    const h = createHash('sha256');
    let n = 0;
    s.on('data', (d: Buffer) => { n += d.length; h.update(d); });
    s.on('end', () => s.end(`${n} ${h.digest('hex')}`));
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  return srv;
}

function talk(port: number, payload: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.end(payload));
    let out = '';
    s.setEncoding('utf8').on('data', (d: string) => { out += d; });
    s.on('close', () => resolve(out));
    s.on('error', reject);
  });
}

const openFds = (): number => readdirSync('/proc/self/fd').length;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

test('TCP proxy relays whole streams with half-close and cleans up', async () => {
  const srv = await hashServer();
  const port = await freePort();
  const proxy = await startProxy({ proto: 'tcp', hostIp: '127.0.0.1', hostPort: port, containerIp: '127.0.0.1', containerPort: (srv.address() as AddressInfo).port });
  try {
    await talk(port, Buffer.from('warm-up')); // starts the relay thread, whose descriptors stay
    await new Promise((r) => setTimeout(r, 100));
    const fds = openFds();
    const big = Buffer.alloc(24 << 20);
    for (let i = 0; i < big.length; i += 4) big.writeUInt32LE(i, i);
    assert.equal(await talk(port, big), `${big.length} ${createHash('sha256').update(big).digest('hex')}`);
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => talk(port, Buffer.alloc(i * 1000 + 1, i))));
    replies.forEach((r, i) => assert.match(r, new RegExp(`^${i * 1000 + 1} [0-9a-f]{64}$`)));

    // A connection still open when the proxy closes is ended with it.
    const s = connect(port, '127.0.0.1');
    await new Promise((r) => s.once('connect', r));
    s.write('pending');
    s.on('error', () => undefined);
    const closed = new Promise<string>((r) => s.once('close', () => r('closed')));
    await new Promise((r) => setTimeout(r, 100));
    await proxy.close();
    assert.equal(await Promise.race([closed, new Promise<string>((r) => setTimeout(() => r('still open'), 3000))]), 'closed');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(openFds(), fds - 1, 'descriptors left behind (the listener is gone too)');
    await assert.rejects(talk(port, Buffer.from('x')), /ECONNREFUSED/);
  } finally {
    await proxy.close();
    srv.close();
  }
});
