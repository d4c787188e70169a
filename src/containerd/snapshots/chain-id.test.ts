import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chainId, chainIds } from './chain-id.js';
import { parseMountOptions } from './mount-options.js';
import { MS } from '../../sys/index.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;

test('chain ids follow the OCI definition', () => {
  assert.equal(chainId([d('a')]), d('a'));
  const two = `sha256:${createHash('sha256').update(`${d('a')} ${d('b')}`).digest('hex')}`;
  const three = `sha256:${createHash('sha256').update(`${two} ${d('c')}`).digest('hex')}`;
  assert.deepEqual(chainIds([d('a'), d('b'), d('c')]), [d('a'), two, three]);
  assert.deepEqual(chainIds([]), []);
  assert.throws(() => chainId([]), { kind: 'invalid-argument' });
  assert.throws(() => chainIds(['sha256:xyz']), { kind: 'invalid-argument' });
});

test('mount options split into flags, propagation and data', () => {
  const p = parseMountOptions(['ro', 'rbind', 'nosuid', 'rprivate', 'index=off', 'lowerdir=/a:/b']);
  assert.equal(p.flags, MS.RDONLY | MS.BIND | MS.REC | MS.NOSUID);
  assert.equal(p.propagation, MS.PRIVATE | MS.REC);
  assert.deepEqual(p.data, ['index=off', 'lowerdir=/a:/b']);
  assert.equal(parseMountOptions(['ro', 'rw']).flags, 0);
});
