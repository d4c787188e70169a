import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeJSONHTML } from './html-escape.js';

test('escapes <, >, &, U+2028 and U+2029 as Go does, and the text still parses to the same value', () => {
  const value = { a: '<b> & c', 'k<': ['\u2028\u2029'], n: 1 };
  const out = escapeJSONHTML(JSON.stringify(value));
  assert.equal(out, '{"a":"\\u003cb\\u003e \\u0026 c","k\\u003c":["\\u2028\\u2029"],"n":1}');
  assert.deepEqual(JSON.parse(out), value);
  assert.equal(escapeJSONHTML('{"plain":"text"}'), '{"plain":"text"}');
});
