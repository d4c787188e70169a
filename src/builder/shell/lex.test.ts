/** ShellLex beyond the corpus: modifiers, patterns, used/unset variables, options, errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goQuote, goQuoteList } from './go-quote.js';
import { ShellLex } from './lex.js';
import { reversePattern, shellPatternToRegex } from './pattern.js';

const lex = new ShellLex();
const word = (w: string, env: Record<string, string>): string => lex.processWord(w, env);

test('default, alternative and required values', () => {
  const env = { FOO: 'xxx', BAR: '' };
  assert.equal(word('${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}', env), 'xxx  ccc');
  assert.equal(word('${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}', env), 'xxx bbb ccc');
  assert.equal(word('${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}', env), 'aaa bbb ');
  assert.equal(word('${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}', env), 'aaa  ');
  assert.equal(word('${BAR?bbb}', env), '');
  assert.throws(() => word('${BAR:?must be set $FOO}', env), { message: 'failed to process "${BAR:?must be set $FOO}": BAR: must be set xxx' });
  assert.throws(() => word('${BAZ?}', env), /BAZ: is not allowed to be unset/);
  assert.throws(() => word('${BAR:?}', env), /BAR: is not allowed to be empty/);
  for (const bad of ['${FOO=aaa}', '${FOO:=aaa}', '${FOO:#}', '${FOO:%%}', '${#FOO}']) {
    assert.throws(() => word(bad, env), (e: Error & { kind?: string }) => e.kind === 'invalid-argument', bad);
  }
});

test('prefix and suffix removal with wildcards', () => {
  const env = { FOO: 'xxyy', SP: '()[]{}^$.*?|\\x', ST: 'a***yy*', BAR: 'x' };
  assert.equal(word('${FOO#*x*y}', env), 'y');
  assert.equal(word('${FOO#*}', env), 'xxyy');
  assert.equal(word('${FOO##*x}', env), 'yy');
  assert.equal(word('${FOO#$BAR}', env), 'xyy');
  assert.equal(word('${FOO%y}${FOO%%x*}', env), 'xxy');
  assert.equal(word('${FOO#?\\?}', { FOO: '???y' }), '?y');
  assert.equal(word('${SP#()[]{\\}^$.\\*\\?|\\\\}', env), 'x');
  assert.equal(word('${ST%%\\**\\*}', env), 'a');
  assert.throws(() => word('${FOO#\\x}', env), /invalid pattern/);
});

test('pattern replacement, first and all', () => {
  assert.equal(word('${F/$N/.} - ${F//$N/.}', { F: '/foo*/*/*.txt', N: '\\*/' }), '/foo.*/*.txt - /foo..*.txt');
  assert.equal(word('${F/$N/} - ${F//$N/}', { F: '/tmp/tmp/bar.txt', N: '/tmp' }), '/tmp/bar.txt - /bar.txt');
  assert.equal(word('${F//\\//\\/}', { F: '/tmp/foo.txt' }), '\\/tmp\\/foo.txt');
  assert.equal(word('${F/$B/ww}', { F: 'xxyy', B: '' }), 'wwxxyy');
  assert.equal(word('${F///}', { F: 'xxyy' }), 'xxyy');
  assert.throws(() => word('${F//}', { F: 'x' }), /missing '\/' in \$\{\}/);
});

test('matched and unmatched variables are reported', () => {
  const r = lex.processWordWithMatches('${ABC:-.}${FOO%x}$BAR', new Map([['FOO', 'xxyy'], ['BAR', '']]));
  assert.equal(r.result, '.xxyy');
  assert.deepEqual([...r.matched].sort(), ['BAR', 'FOO']);
  assert.deepEqual([...r.unmatched], ['ABC']);
});

test('the backtick escape token', () => {
  const tick = new ShellLex('`');
  assert.equal(tick.processWord('c:\\dir `$HOME "a`"b"', { HOME: 'h' }), 'c:\\dir $HOME a"b');
});

test('skipUnsetEnv and rawQuotes keep what they cannot expand', () => {
  const keep = new ShellLex('\\', { skipUnsetEnv: true, rawQuotes: true });
  assert.equal(keep.processWord('$A ${B} ${C:-d} ${E/x/y} "$F" \'g\'', { F: 'f' }), '$A ${B} ${C:-d} ${E/x/y} "f" \'g\'');
});

test('word splitting follows expansion, quotes protect', () => {
  assert.deepEqual(lex.processWords('a ${S} "${S}" b\\ c', { S: ' x  y ' }), ['a', 'x', 'y', ' x  y ', 'b c']);
  assert.deepEqual(lex.processWords('RUN <<  EOF > f', {}), ['RUN', '<<  EOF', '>', 'f']);
});

test('Go quoting helpers', () => {
  assert.equal(goQuote('a"b\\c\n\t\x01é\u00a0😀'), '"a\\"b\\\\c\\n\\t\\x01é\\u00a0😀"');
  assert.equal(goQuoteList(['--a=1', 'b c']), '["--a=1" "b c"]');
});

test('pattern helpers', () => {
  assert.equal(reversePattern('a\\*c'), 'c\\*a');
  assert.equal(reversePattern('\\\\\\ab'), 'b\\a\\\\');
  assert.equal(reversePattern('ab\\'), '\\ba');
  assert.equal(reversePattern('👽\\🚀🖖'), '🖖\\🚀👽');
  assert.equal(shellPatternToRegex('a*?.', true, true).source, '^a[^\\n]*[^\\n]\\.');
  for (const bad of ['\\', '\\x', '\\\\\\']) assert.throws(() => shellPatternToRegex(bad, true, true), bad);
});
