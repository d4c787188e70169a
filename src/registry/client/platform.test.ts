import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Index } from '../../oci/image-spec.js';
import { formatPlatform, normalizePlatform, parsePlatform, platformVector, selectManifest } from './platform.js';

test('normalisation follows containerd', () => {
  assert.deepEqual(normalizePlatform({ os: 'Linux', architecture: 'x86_64' }), { os: 'linux', architecture: 'amd64' });
  assert.deepEqual(normalizePlatform({ os: 'linux', architecture: 'aarch64', variant: 'v8' }), { os: 'linux', architecture: 'arm64' });
  assert.deepEqual(normalizePlatform({ os: 'linux', architecture: 'arm' }), { os: 'linux', architecture: 'arm', variant: 'v7' });
  assert.deepEqual(normalizePlatform({ os: 'linux', architecture: 'armhf' }), { os: 'linux', architecture: 'arm', variant: 'v7' });
  assert.deepEqual(normalizePlatform({ os: 'linux', architecture: 'armel' }), { os: 'linux', architecture: 'arm', variant: 'v6' });
  assert.deepEqual(normalizePlatform({ os: 'linux', architecture: 'i386' }), { os: 'linux', architecture: '386' });
  assert.deepEqual(parsePlatform('linux/arm/6'), { os: 'linux', architecture: 'arm', variant: 'v6' });
  assert.deepEqual(parsePlatform('linux/arm64/v8'), { os: 'linux', architecture: 'arm64' });
  assert.equal(formatPlatform(parsePlatform('linux/amd64')), 'linux/amd64');
  assert.throws(() => parsePlatform('linux//x'), { message: /unknown operating system or architecture/ });
});

test('platform vectors list what a platform can run, best first', () => {
  assert.deepEqual(platformVector({ os: 'linux', architecture: 'amd64' }).map(formatPlatform), ['linux/amd64', 'linux/386']);
  assert.deepEqual(platformVector({ os: 'linux', architecture: 'amd64', variant: 'v3' }).map(formatPlatform),
    ['linux/amd64/v3', 'linux/amd64/v2', 'linux/amd64', 'linux/386']);
  assert.deepEqual(platformVector({ os: 'linux', architecture: 'arm', variant: 'v7' }).map(formatPlatform),
    ['linux/arm/v7', 'linux/arm/v6', 'linux/arm/v5']);
  assert.deepEqual(platformVector({ os: 'linux', architecture: 'arm64' }).map(formatPlatform),
    ['linux/arm64', 'linux/arm/v8', 'linux/arm/v7', 'linux/arm/v6', 'linux/arm/v5']);
  assert.equal(platformVector({ os: 'linux', architecture: 'arm64', variant: 'v9' }).map(formatPlatform)[0], 'linux/arm64/v9');
});

const d = (n: number, platform?: { os: string; architecture: string; variant?: string }) => ({
  mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${String(n).repeat(64).slice(0, 64)}`, size: 1,
  ...(platform ? { platform } : {}),
});

test('selectManifest prefers the exact platform, then compatible ones', () => {
  const index: Index = {
    schemaVersion: 2,
    manifests: [
      d(1, { os: 'linux', architecture: '386' }),
      d(2, { os: 'linux', architecture: 'amd64' }),
      d(3, { os: 'linux', architecture: 'arm', variant: 'v6' }),
      d(4, { os: 'linux', architecture: 'arm', variant: 'v7' }),
      d(5, { os: 'linux', architecture: 'arm64', variant: 'v8' }),
      d(6, { os: 'unknown', architecture: 'unknown' }),
      d(7, { os: 'windows', architecture: 'amd64' }),
    ],
  };
  assert.equal(selectManifest(index, { os: 'linux', architecture: 'amd64' }).digest, d(2).digest);
  assert.equal(selectManifest(index, { os: 'linux', architecture: 'arm64' }).digest, d(5).digest);
  assert.equal(selectManifest(index, { os: 'linux', architecture: 'arm' }).digest, d(4).digest);
  assert.equal(selectManifest(index, { os: 'linux', architecture: 'arm', variant: 'v6' }).digest, d(3).digest);
  assert.equal(selectManifest(index, { os: 'windows', architecture: 'amd64' }).digest, d(7).digest);
  assert.equal(selectManifest({ schemaVersion: 2, manifests: [d(1, { os: 'linux', architecture: '386' })] }, { os: 'linux', architecture: 'amd64' }).digest, d(1).digest);
  assert.throws(() => selectManifest(index, { os: 'linux', architecture: 'ppc64le' }), {
    message: 'no matching manifest for linux/ppc64le in the manifest list entries',
  });
  // Entries without a platform are a last resort.
  assert.equal(selectManifest({ schemaVersion: 2, manifests: [d(8)] }, { os: 'linux', architecture: 'amd64' }).digest, d(8).digest);
});
