import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SKIFF_VERSION } from './version.js';

test('version is semver', () => {
  assert.match(SKIFF_VERSION, /^\d+\.\d+\.\d+$/);
});
