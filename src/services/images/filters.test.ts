import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineError } from '../../common/errors.js';
import { danglingFilter, familiarMatch, globRegExp, matchLabels, parseFilters, parseTimestamp } from './filters.js';

test('filters parse both JSON forms and refuse unknown keys', () => {
  assert.deepEqual([...parseFilters('{"dangling":["true"],"label":{"a=b":true}}', ['dangling', 'label'])], [['dangling', ['true']], ['label', ['a=b']]]);
  assert.throws(() => parseFilters('{"nope":["x"]}', ['dangling']), (e: unknown) => e instanceof EngineError && e.message === "invalid filter 'nope'");
  assert.equal(danglingFilter(new Map([['dangling', ['true']]])), true);
  assert.equal(danglingFilter(new Map()), undefined);
  assert.throws(() => danglingFilter(new Map([['dangling', ['maybe']]])));
});

test('reference patterns are path.Match on the familiar string, then the name', () => {
  assert.ok(familiarMatch(globRegExp('busybox:*'), 'busybox:latest'));
  assert.ok(familiarMatch(globRegExp('busybox'), 'busybox:latest'));
  assert.ok(!familiarMatch(globRegExp('busy'), 'busybox:latest'));
  assert.ok(!familiarMatch(globRegExp('*'), 'library/x/busybox:latest'));
  assert.ok(familiarMatch(globRegExp('localhost:5000/*'), 'localhost:5000/app:1'));
  assert.ok(familiarMatch(globRegExp('b[a-z]sybox'), 'busybox:1'));
});

test('labels and timestamps', () => {
  assert.ok(matchLabels({ a: 'b' }, ['a', 'a=b']));
  assert.ok(!matchLabels({ a: 'b' }, ['a=c']));
  assert.ok(!matchLabels({ a: 'b' }, [], ['a']));
  assert.equal(parseTimestamp('10m', 1_000_000), 1_000_000 - 600_000);
  assert.equal(parseTimestamp('1h30m', 10_000_000), 10_000_000 - 5_400_000);
  assert.equal(parseTimestamp('1700000000'), 1_700_000_000_000);
  assert.equal(parseTimestamp('2024-01-01T00:00:00Z'), Date.UTC(2024, 0, 1));
  assert.throws(() => parseTimestamp('yesterday'));
});
