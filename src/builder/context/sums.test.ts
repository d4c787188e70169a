/** Sums taken while a context unpacks equal the ones read back from the tree, or are not used. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { applyLayer } from '../../containerd/archive/index.js';
import { TarWriter, type TarWriteEntry } from '../../containerd/archive/tar/index.js';
import { SourceSums } from '../engine/tarsum.js';
import { ContextSums } from './sums.js';

const uid = process.getuid?.() ?? 0;
const gid = process.getgid?.() ?? 0;

async function unpack(root: string, entries: Array<[TarWriteEntry, Buffer?]>): Promise<ContextSums> {
  const sums = new ContextSums();
  const pt = new PassThrough();
  const applied = applyLayer(root, pt, { observe: (h, path) => sums.observe(h, path) });
  const w = new TarWriter(pt);
  for (const [e, data] of entries) await w.add({ uid, gid, ...e, size: data?.length ?? 0 }, data);
  await w.finish();
  pt.end();
  await applied;
  return sums;
}

test('sums taken while unpacking match the tree; rewritten, linked or changed files are summed from disk', async () => {
  const root = mkdtempSync(join(tmpdir(), 'ctx-sums-'));
  try {
    const big = randomBytes(300_000);
    const sums = await unpack(root, [
      [{ name: 'f', type: 'file', mode: 0o644 }, Buffer.from('f\n')],
      [{ name: 'dir/', type: 'directory', mode: 0o755 }],
      [{ name: 'dir/big.bin', type: 'file', mode: 0o600 }, big],
      [{ name: 'sl', type: 'symlink', mode: 0o777, linkname: 'dir' }],
      [{ name: 'sl/c.txt', type: 'file', mode: 0o640 }, Buffer.from('through a symlink\n')],
      [{ name: 'dup.txt', type: 'file', mode: 0o644 }, Buffer.from('first\n')],
      [{ name: 'dup.txt', type: 'file', mode: 0o644 }, Buffer.from('secnd\n')],
      [{ name: 'hard', type: 'link', mode: 0o644, linkname: 'f' }],
      [{ name: 'later', type: 'file', mode: 0o644 }, Buffer.from('later\n')],
    ]);
    chmodSync(join(root, 'later'), 0o600);
    const fast = new SourceSums(root, sums);
    const slow = new SourceSums(root);
    for (const p of ['f', 'dir', 'dir/big.bin', 'sl', 'sl/c.txt', 'dir/c.txt', 'dup.txt', 'hard', 'later', '.']) {
      assert.equal(await fast.sourceHash(p), await slow.sourceHash(p), p);
    }
    if (uid === 0) {
      // dockerd 20.10's name for this file (see engine/tarsum.test.ts).
      assert.equal(await fast.sourceHash('f'), 'file:cf3ad9b798754bdfe1139c67c9e2f9a1f57fe8d8f6f0c6b9288db6e7c65cd8f6');
    }
    const head = (name: string, mode: number, size: number) =>
      Buffer.from(`name${name}mode${mode}uid${uid}gid${gid}size${size}typeflag0linknameunamegnamedevmajor0devminor0`);
    assert.ok(sums.lookup('dir/big.bin', head('dir/big.bin', 0o600, big.length)), 'a file written once is summed on the way in');
    assert.ok(sums.lookup('dir/c.txt', head('dir/c.txt', 0o640, 18)), 'under the path it landed at');
    assert.equal(sums.lookup('dup.txt', head('dup.txt', 0o644, 6)), undefined, 'a path written twice is not');
    assert.equal(sums.lookup('hard', head('hard', 0o644, 2)), undefined, 'nor a hardlink');
    assert.equal(sums.lookup('later', head('later', 0o600, 6)), undefined, 'nor a file whose header no longer matches');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
