import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import tarStream from 'tar-stream';
import { readTar, TarWriter } from './index.js';
import type { TarHeader } from './index.js';

async function collect(stream: PassThrough): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function readAll(buf: Buffer): Promise<Array<{ h: TarHeader; data: Buffer }>> {
  const out: Array<{ h: TarHeader; data: Buffer }> = [];
  for await (const e of readTar(Readable.from([buf]))) {
    const parts: Buffer[] = [];
    for await (const c of e.body) parts.push(c);
    out.push({ h: e.header, data: Buffer.concat(parts) });
  }
  return out;
}

test('round-trips binary xattrs, long and non-ASCII names, big ids', async () => {
  const pt = new PassThrough();
  const done = collect(pt);
  const w = new TarWriter(pt);
  const cap = Buffer.from([0x01, 0x00, 0x00, 0x02, 0xc0, 0x20, 0x00, 0x00, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  const long = `${'d'.repeat(120)}/${'f'.repeat(90)}`;
  await w.add({ name: 'bin/ping', type: 'file', mode: 0o4755, uid: 3000000, gid: 7, mtime: 1700000000, xattrs: new Map([['security.capability', cap], ['user.x', Buffer.from('y')]]) }, Buffer.from('hello'));
  await w.add({ name: long, type: 'file', mode: 0o644 }, Buffer.from(''));
  await w.add({ name: 'é/ü', type: 'symlink', mode: 0o777, linkname: 'l'.repeat(150) });
  await w.add({ name: 'dir', type: 'directory', mode: 0o1777 });
  await w.add({ name: 'dev/null', type: 'character-device', mode: 0o666, devmajor: 1, devminor: 3 });
  await w.finish();
  const entries = await readAll(await done);
  assert.deepEqual(entries.map((e) => e.h.name), ['bin/ping', long, 'é/ü', 'dir/', 'dev/null']);
  const [ping, , link, dir, dev] = entries;
  assert.deepEqual(ping!.h.xattrs.get('security.capability'), cap);
  assert.equal(ping!.h.uid, 3000000);
  assert.equal(ping!.h.mode, 0o4755);
  assert.equal(ping!.h.mtime, 1700000000);
  assert.equal(ping!.data.toString(), 'hello');
  assert.equal(link!.h.linkname, 'l'.repeat(150));
  assert.equal(dir!.h.type, 'directory');
  assert.equal(dir!.h.mode, 0o1777);
  assert.deepEqual([dev!.h.devmajor, dev!.h.devminor], [1, 3]);
});

test('reads tar-stream output, skipping unread bodies', async () => {
  const pack = tarStream.pack();
  pack.entry({ name: 'a', size: 3 }, 'abc');
  pack.entry({ name: 'x'.repeat(200), size: 1 }, 'z');
  pack.entry({ name: 'b', type: 'link', linkname: 'a' });
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  const names: string[] = [];
  for await (const e of readTar(Readable.from([Buffer.concat(chunks)]))) names.push(`${e.header.type}:${e.header.name}`);
  assert.deepEqual(names, ['file:a', `file:${'x'.repeat(200)}`, 'link:b']);
});

test('rejects a corrupt header and a truncated body', async () => {
  const pt = new PassThrough();
  const done = collect(pt);
  const w = new TarWriter(pt);
  await w.add({ name: 'a', type: 'file', mode: 0o644 }, Buffer.alloc(2000, 1));
  await w.finish();
  const good = await done;
  const bad = Buffer.from(good);
  bad[10] = 0x41;
  await assert.rejects(readAll(bad), { kind: 'invalid-argument', message: /checksum/ });
  await assert.rejects(readAll(good.subarray(0, 1000)), { kind: 'invalid-argument', message: /unexpected end/ });
});
