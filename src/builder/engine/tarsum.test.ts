/** Docker's COPY/ADD source sums, against values dockerd wrote for the same files. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceSums } from './tarsum.js';

test('a context file sums like dockerd\'s `file:` history name; dirs and symlinks too', async () => {
  const root = mkdtempSync(join(tmpdir(), 'tarsum-'));
  try {
    writeFileSync(join(root, 'f'), 'f\n');
    chmodSync(join(root, 'f'), 0o644);
    mkdirSync(join(root, 'out/d'), { recursive: true });
    chmodSync(join(root, 'out'), 0o755);
    chmodSync(join(root, 'out/d'), 0o755);
    writeFileSync(join(root, 'out/d/x'), 'built\n');
    chmodSync(join(root, 'out/d/x'), 0o600);
    symlinkSync('f', join(root, 'link'));
    const sums = new SourceSums(root);
    // dockerd 20.10 named `COPY f rel/` with this sum (header: name, mode 420, root, size 2).
    assert.equal(await sums.sourceHash('f'), 'file:cf3ad9b798754bdfe1139c67c9e2f9a1f57fe8d8f6f0c6b9288db6e7c65cd8f6');
    assert.equal(await sums.sourceHash('link'), await sums.sourceHash('f'));
    // moby's lazy source (no user-name lookups, no file-type mode bits) for out/ and out/d/x.
    assert.equal(await sums.sourceHash('out/d/x'), 'file:24eb7d881aaba821993f9dd9d9484a7edf98ccf2b0b8f0ebdc980bc8c00e24db');
    assert.equal(await sums.sourceHash('out'), 'dir:941b0c7e1f3d3527e4f0c0911a502d90a6618714a9e4a9d2a2c290e3f9f81adf');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
