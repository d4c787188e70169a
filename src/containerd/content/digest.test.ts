import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Digester, digestError, digestOf, splitDigest } from './digest.js';

test('digest validation uses go-digest wording', () => {
  assert.equal(digestError(`sha256:${'a'.repeat(64)}`), null);
  assert.equal(digestError(`sha512:${'a'.repeat(128)}`), null);
  assert.equal(digestError('sha256:abc'), 'invalid checksum digest length');
  assert.equal(digestError(`sha256:${'A'.repeat(64)}`), 'invalid checksum digest format');
  assert.equal(digestError(`foo:${'a'.repeat(64)}`), 'unsupported digest algorithm');
  assert.equal(digestError('sha256'), 'invalid checksum digest format');
  assert.equal(digestError(':abc'), 'invalid checksum digest format');
  assert.equal(digestError('sha256:'), 'invalid checksum digest format');
  assert.equal(digestError('Foo!:abc'), 'invalid checksum digest format');
  assert.deepEqual(splitDigest(`sha256:${'b'.repeat(64)}`), { algorithm: 'sha256', encoded: 'b'.repeat(64) });
});

test('Digester reports the running digest without ending it', () => {
  const d = new Digester();
  d.update(Buffer.from('ab'));
  assert.equal(d.digest(), digestOf('ab'));
  d.update(Buffer.from('c'));
  assert.equal(d.digest(), digestOf('abc'));
  assert.equal(d.size, 3);
  assert.equal(digestOf(''), 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});
