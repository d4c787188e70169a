/** Router matching: slashes in image names, literal-before-parameter, version prefixes, misses. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Method, Route } from './route.js';
import { Router, splitVersion } from './router.js';

const r = (method: Method, path: string): Route => ({ method, path, handler: async () => {} });

// Registered in an order that would be wrong for first-match-wins: specificity must decide.
const router = new Router([
  r('GET', '/images/{name:.*}/json'),
  r('DELETE', '/images/{name:.*}'),
  r('GET', '/images/{name:.*}/history'),
  r('GET', '/images/json'),
  r('GET', '/images/get'),
  r('GET', '/images/{name:.*}/get'),
  r('POST', '/images/{name:.*}/tag'),
  r('POST', '/images/create'),
  r('GET', '/containers/{id}/json'),
  r('GET', '/containers/json'),
  r('DELETE', '/containers/{id}'),
  r('GET', '/_ping'),
  r('HEAD', '/_ping'),
]);

function hit(method: string, path: string): [string, Record<string, string>] | undefined {
  const m = router.match(method, path);
  return m ? [m.route.path, m.params] : undefined;
}

test('literal routes win over parameters', () => {
  assert.deepEqual(hit('GET', '/images/json'), ['/images/json', {}]);
  assert.deepEqual(hit('GET', '/containers/json'), ['/containers/json', {}]);
  assert.deepEqual(hit('GET', '/images/get'), ['/images/get', {}]);
  assert.deepEqual(hit('POST', '/images/create'), ['/images/create', {}]);
});

test('an {x:.*} parameter spans slashes', () => {
  assert.deepEqual(hit('GET', '/images/docker.io/library/busybox:latest/json'), ['/images/{name:.*}/json', { name: 'docker.io/library/busybox:latest' }]);
  assert.deepEqual(hit('GET', '/images/localhost:5000/a/b/history'), ['/images/{name:.*}/history', { name: 'localhost:5000/a/b' }]);
  assert.deepEqual(hit('DELETE', '/images/reg.io/x/json'), ['/images/{name:.*}', { name: 'reg.io/x/json' }]);
  assert.deepEqual(hit('POST', '/images/a/b/tag'), ['/images/{name:.*}/tag', { name: 'a/b' }]);
  assert.deepEqual(hit('GET', '/images/json/json'), ['/images/{name:.*}/json', { name: 'json' }]);
});

test('a {x} parameter stays within one segment', () => {
  assert.deepEqual(hit('GET', '/containers/abc/json'), ['/containers/{id}/json', { id: 'abc' }]);
  assert.equal(hit('GET', '/containers/a/b/json'), undefined);
  assert.deepEqual(hit('DELETE', '/containers/abc'), ['/containers/{id}', { id: 'abc' }]);
});

test('method mismatch and unknown paths miss (the server answers 404 for both)', () => {
  assert.equal(hit('POST', '/containers/json'), undefined);
  assert.equal(hit('GET', '/nope'), undefined);
  assert.equal(hit('GET', '/containers/abc/json/extra'), undefined);
  assert.equal(hit('HEAD', '/images/json'), undefined);
  assert.deepEqual(hit('HEAD', '/_ping'), ['/_ping', {}]);
});

test('version prefixes are split off as moby matches /v{version:[0-9.]+}', () => {
  assert.deepEqual(splitVersion('/v1.47/containers/json'), { version: '1.47', path: '/containers/json' });
  assert.deepEqual(splitVersion('/v1/info'), { version: '1', path: '/info' });
  assert.deepEqual(splitVersion('/containers/json'), { version: undefined, path: '/containers/json' });
  assert.deepEqual(splitVersion('/vx/info'), { version: undefined, path: '/vx/info' });
});

test('duplicate routes are refused at construction', () => {
  assert.throws(() => new Router([r('GET', '/a'), r('GET', '/a')]), /duplicate route GET \/a/);
});
