import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRegistryErrors, registryError } from './errors.js';

test('registry error bodies read as Docker prints them', () => {
  const one = JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: { Tag: 'x' } }] });
  assert.equal(formatRegistryErrors(404, one), 'manifest unknown: manifest unknown');
  const two = JSON.stringify({ errors: [{ code: 'DENIED', message: 'no' }, { code: 'UNSUPPORTED' }] });
  assert.equal(formatRegistryErrors(403, two), 'errors:\ndenied: no\nunsupported');
  assert.equal(formatRegistryErrors(401, ''), 'unauthorized: authentication required');
  assert.equal(formatRegistryErrors(502, '<html>bad gateway</html>'), 'unexpected status 502: <html>bad gateway</html>');
});

test('statuses map to error kinds', () => {
  const kinds = [[400, 'invalid-argument'], [401, 'unauthorized'], [403, 'forbidden'], [404, 'not-found'], [405, 'not-implemented'],
    [409, 'conflict'], [416, 'invalid-argument'], [429, 'unavailable'], [500, 'unavailable'], [503, 'unavailable']] as const;
  for (const [status, kind] of kinds) assert.equal(registryError(status, '').kind, kind, String(status));
  assert.equal(registryError(404, '', 'pushing x').message, 'pushing x: unexpected status 404');
});
