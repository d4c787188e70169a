/** Every error kind has a status, and the table says what moby's errdefs mapping says. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_KINDS, EngineError, notFound } from '../common/errors.js';
import { STATUS_BY_KIND, errorResponse } from './errors.js';

test('every kind is mapped', () => {
  for (const k of ERROR_KINDS) assert.equal(typeof STATUS_BY_KIND[k], 'number', k);
  assert.deepEqual(Object.keys(STATUS_BY_KIND).sort(), [...ERROR_KINDS].sort());
});

test('the statuses are Docker\'s', () => {
  assert.equal(STATUS_BY_KIND['not-found'], 404);
  assert.equal(STATUS_BY_KIND['invalid-argument'], 400);
  assert.equal(STATUS_BY_KIND['conflict'], 409);
  assert.equal(STATUS_BY_KIND['already-exists'], 409);
  assert.equal(STATUS_BY_KIND['failed-precondition'], 400);
  assert.equal(STATUS_BY_KIND['unauthorized'], 401);
  assert.equal(STATUS_BY_KIND['forbidden'], 403);
  assert.equal(STATUS_BY_KIND['not-modified'], 304);
  assert.equal(STATUS_BY_KIND['unavailable'], 503);
  assert.equal(STATUS_BY_KIND['not-implemented'], 501);
  assert.equal(STATUS_BY_KIND['canceled'], 500);
  assert.equal(STATUS_BY_KIND['internal'], 500);
});

test('errorResponse keeps the message and maps unknown throws to 500', () => {
  assert.deepEqual(errorResponse(notFound('container', 'x')), { status: 404, message: 'No such container: x' });
  assert.deepEqual(errorResponse(new Error('boom')), { status: 500, message: 'boom' });
  assert.equal(errorResponse(new EngineError('conflict', 'c')).status, 409);
});
