import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chainIds } from '../snapshots/chain-id.js';
import { childrenOf } from './mark.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;

test('childrenOf follows indexes, manifests and configs', () => {
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: d('1'), size: 1 }] }));
  assert.deepEqual(childrenOf({ mediaType: 'application/vnd.oci.image.index.v1+json' }, index).content.map((x) => x.digest), [d('1')]);
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: d('2'), size: 1 }, layers: [{ mediaType: 'x', digest: d('3'), size: 1 }] }));
  assert.deepEqual(childrenOf({ mediaType: 'application/vnd.docker.distribution.manifest.v2+json' }, manifest).content.map((x) => x.digest), [d('2'), d('3')]);
  const config = Buffer.from(JSON.stringify({ rootfs: { type: 'layers', diff_ids: [d('4'), d('5')] } }));
  assert.deepEqual(childrenOf({ mediaType: 'application/vnd.oci.image.config.v1+json' }, config).snapshots, [chainIds([d('4'), d('5')]).at(-1)]);
  assert.deepEqual(childrenOf({ mediaType: 'application/vnd.oci.image.layer.v1.tar' }, Buffer.from('not json')), { content: [], snapshots: [] });
});
