import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { decompress, detectCompression } from './decompress.js';

async function all(r: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Feeds `buf` in small chunks, so magic bytes split across chunks are exercised. */
function chunked(buf: Buffer, size = 3): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) parts.push(buf.subarray(i, i + size));
  return Readable.from(parts);
}

const payload = Buffer.from('layer bytes '.repeat(5000));

let zstdBin = true;
try { execFileSync('zstd', ['--version']); } catch { zstdBin = false; }

test('detects formats by magic bytes', () => {
  assert.equal(detectCompression(Buffer.from([0x1f, 0x8b, 8])), 'gzip');
  assert.equal(detectCompression(Buffer.from([0x28, 0xb5, 0x2f, 0xfd])), 'zstd');
  assert.equal(detectCompression(Buffer.from('ustar')), 'none');
  assert.equal(detectCompression(Buffer.alloc(0)), 'none');
});

test('passes plain data through, even shorter than a magic number', async () => {
  assert.deepEqual(await all(decompress(chunked(payload))), payload);
  assert.deepEqual(await all(decompress(Readable.from([Buffer.from('ab')]))), Buffer.from('ab'));
  assert.deepEqual(await all(decompress(Readable.from([]))), Buffer.alloc(0));
});

test('gunzips', async () => {
  assert.deepEqual(await all(decompress(chunked(gzipSync(payload), 1000))), payload);
});

test('decodes zstd', { skip: !zstdBin }, async () => {
  const z = execFileSync('zstd', ['-c', '-q'], { input: payload });
  assert.deepEqual(await all(decompress(chunked(z, 7))), payload);
});

test('corrupt input fails the stream', async () => {
  const gz = gzipSync(payload);
  gz[gz.length - 6] ^= 0xff;
  await assert.rejects(all(decompress(Readable.from([gz]))));
  await assert.rejects(all(decompress(Readable.from([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3, 4, 5, 6])]))));
});
