/** `.dockerignore` rules against moby/patternmatcher's documented behaviour. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IgnoreMatcher, parseDockerignore } from './patterns.js';

test('patterns are cleaned; comments and blank lines are dropped', () => {
  const p = parseDockerignore('# c\n\n /a/b/ \n!./keep\n./x/../y\n');
  assert.deepEqual(p.map((x) => [x.text, x.exclusion]), [['a/b', false], ['keep', true], ['y', false]]);
});

test('* and ? stay within a component; ** spans any number', () => {
  const m = IgnoreMatcher.fromText('*.log\nsrc/?.c\n**/tmp\ndocs/**/*.md\n');
  assert.ok(m.matches('a.log'));
  assert.ok(!m.matches('dir/a.log'));
  assert.ok(m.matches('src/a.c'));
  assert.ok(!m.matches('src/ab.c'));
  assert.ok(m.matches('tmp'));
  assert.ok(m.matches('x/y/tmp'));
  assert.ok(m.matches('docs/a.md'));
  assert.ok(m.matches('docs/x/y/a.md'));
});

test('a matched directory excludes what is below it; later rules win', () => {
  const m = IgnoreMatcher.fromText('docs\n!docs/keep.md\n');
  assert.ok(m.matches('docs/drop.md'));
  assert.ok(!m.matches('docs/keep.md'));
  assert.ok(m.hasExclusions);
  const again = IgnoreMatcher.fromText('!a.txt\n*.txt\n');
  assert.ok(again.matches('a.txt'));
});

test('character classes and escapes', () => {
  const m = IgnoreMatcher.fromText('file[0-9]\n[!a]x\nlit\\*\n');
  assert.ok(m.matches('file3'));
  assert.ok(!m.matches('filex'));
  assert.ok(m.matches('bx'));
  assert.ok(!m.matches('ax'));
  assert.ok(m.matches('lit*'));
  assert.ok(!m.matches('litx'));
});
