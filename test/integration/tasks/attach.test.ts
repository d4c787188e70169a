/**
 * Attach: live output to several clients, stdin and its EOF, a slow client that is dropped
 * without holding the container up, and a terminal whose size follows resize.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Readable } from 'node:stream';
import { Fixture } from './fixture.js';

const skip = process.getuid?.() !== 0 ? 'task integration tests need root' : false;

function collect(r: Readable | null): () => string {
  let s = '';
  r!.setEncoding('utf8').on('data', (d: string) => { s += d; });
  return () => s;
}

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !check();) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

test('attach before start sees everything; stdin reaches the process; close-stdin is EOF', { skip }, async (t) => {
  const f = new Fixture();
  t.after(async () => { assert.deepEqual(await f.cleanup(), []); });
  const task = await f.create('a1', { args: ['sh', '-c', 'echo first; echo to-err >&2; cat; echo after-eof'], stdin: true, startNow: false });
  const a = await task.attach({ stdin: true, stdout: true, stderr: true });
  const b = await task.attach({ stdin: false, stdout: true, stderr: false });
  const out = collect(a.stdout), err = collect(a.stderr), outB = collect(b.stdout);
  await task.start();
  await until(() => out().includes('first') && err().includes('to-err'), 'first output');
  a.stdin!.write('line one\n');
  await until(() => out().includes('line one'), 'echoed stdin');
  await task.closeStdin();
  const exit = await a.exit;
  assert.equal(exit?.exitCode, 0);
  assert.equal(out(), 'first\nline one\nafter-eof\n');
  assert.equal(err(), 'to-err\n');
  await b.exit;
  assert.equal(outB(), 'first\nline one\nafter-eof\n');
});

test('a client that stops reading is dropped; the container and the log go on', { skip }, async (t) => {
  const f = new Fixture();
  t.after(async () => { assert.deepEqual(await f.cleanup(), []); });
  // ~4 MiB of output, far beyond what the shim holds for one client.
  const gen = 'BEGIN { s = sprintf("%1023s", ""); gsub(/ /, "x", s); for (i = 0; i < 4096; i++) print s }';
  const task = await f.create('a2', { args: ['awk', gen], startNow: false });
  const slow = await task.attach({ stdin: false, stdout: true, stderr: false });
  slow.stdout!.pause(); // not read until the container is done
  await task.start();
  const st = await task.wait();
  assert.equal(st.exitCode, 0);
  let got = 0;
  slow.stdout!.on('data', (d: Buffer) => { got += d.length; }).resume();
  assert.equal(await slow.exit, undefined, 'dropped before the exit frame');
  assert.ok(got < 4096 * 1024, `got ${got} bytes`);
  const lines = readFileSync(f.logPath('a2'), 'utf8').trim().split('\n');
  assert.equal(lines.length, 4096);
});

test('a terminal: one stream, \\r\\n kept, and stty size follows resize', { skip }, async (t) => {
  const f = new Fixture();
  t.after(async () => { assert.deepEqual(await f.cleanup(), []); });
  const task = await f.create('tty1', {
    args: ['sh'], terminal: true, stdin: true, startNow: false,
    edit: (s) => { s.process!.consoleSize = { height: 24, width: 80 }; },
  });
  const a = await task.attach({ stdin: true, stdout: true, stderr: true });
  assert.equal(a.stderr !== null, true);
  const out = collect(a.stdout);
  await task.start();
  a.stdin!.write('tty; stty size\n');
  await until(() => /24 80/.test(out()), 'initial size');
  assert.match(out(), /\/dev\/pts\/\d+/);
  await task.resize(40, 132);
  a.stdin!.write('stty size\n');
  await until(() => /40 132/.test(out()), 'size after resize');
  a.resize(50, 100); // the in-stream resize frame
  a.stdin!.write('stty size; exit 5\n');
  assert.equal((await a.exit)?.exitCode, 5);
  assert.match(out(), /50 100/);
  const log = readFileSync(f.logPath('tty1'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { log: string; stream: string });
  assert.ok(log.every((l) => l.stream === 'stdout'));
  assert.ok(log.some((l) => l.log.endsWith('\r\n')), 'a tty keeps its \\r\\n');
  assert.match(log.map((l) => l.log).join(''), /40 132\r\n/);
});
