import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTemplate } from './index.js';
import { htmlEscape, jsEscape, queryEscape } from './builtins.js';

const run = (text: string, data: unknown = null): string => parseTemplate(text).execute(data);

function runErr(text: string, data: unknown = null): string {
  try {
    run(text, data);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`no error for ${text}`);
}

const data = { Labels: { 'a.b': 'x' }, Any: { n: 1 }, Names: ['n1', 'n2'], Name: 'héllo', Fn: (x: number) => x * 2, Size: 42 };

test('and / or return the deciding operand and short-circuit', () => {
  assert.equal(run('{{and 1 0}} {{and 1 2}} {{or 0 "" "z"}} {{or 0 ""}}'), '0 2 z ');
  // The second operand would fail if evaluated.
  assert.equal(run('{{and false (index .Names 9)}} {{or true (index .Names 9)}}', data), 'false true');
  assert.equal(run('{{"x" | and 1}}'), 'x');
});

test('not, len', () => {
  assert.equal(run('{{not 0}} {{not "a"}} {{not .Nope}}', data), 'true false true');
  assert.equal(run('{{len .Names}} {{len .Labels}} {{len .Name}} {{len .Nil}}', { ...data, Nil: null }), '2 1 6 0');
  assert.equal(runErr('{{len 3}}'), 'template: :1:2: executing "" at <len 3>: error calling len: len of type int');
});

test('index over maps, slices and strings', () => {
  assert.equal(run('{{index .Labels "a.b"}}', data), 'x');
  assert.equal(run('{{index .Names 1}} {{index .Name 0}}', data), 'n2 104');
  assert.equal(run('{{index . 0 1}}', [['a', 'b']]), 'b');
  // A missing key gives the map's zero value: "" for string maps (docker's labels).
  assert.equal(run('[{{index .Labels "nope"}}]', data), '[]');
  assert.equal(run('[{{index .Any "nope"}}]', data), '[<no value>]');
  assert.equal(run('[{{index .Nil "nope"}}]', { Nil: null }), '[]');
  assert.equal(runErr('{{index .Names 5}}', data), 'template: :1:2: executing "" at <index .Names 5>: error calling index: index out of range: 5');
  assert.equal(runErr('{{index .Labels 1}}', data),
    'template: :1:2: executing "" at <index .Labels 1>: error calling index: value has type int; should be string');
  assert.equal(runErr('{{index .Names "a"}}', data),
    'template: :1:2: executing "" at <index .Names "a">: error calling index: cannot index slice/array with type string');
  assert.equal(runErr('{{index .Nope 1}}', data), 'template: :1:2: executing "" at <index .Nope 1>: error calling index: index of untyped nil');
  assert.equal(runErr('{{index 3 1}}'), 'template: :1:2: executing "" at <index 3 1>: error calling index: can\'t index item of type int');
});

test('slice', () => {
  assert.equal(run('{{slice "abcdef" 1 3}} {{slice "abc" 1}} {{slice "abc"}}'), 'bc bc abc');
  assert.equal(run('{{slice .Names 1}}', data), '[n2]');
  assert.equal(runErr('{{slice "abc" 2 1}}'), 'template: :1:2: executing "" at <slice "abc" 2 1>: error calling slice: invalid slice index: 2 > 1');
  assert.equal(runErr('{{slice "abc" 1 2 3}}'),
    'template: :1:2: executing "" at <slice "abc" 1 2 3>: error calling slice: cannot 3-index slice a string');
});

test('comparisons follow Go kinds', () => {
  assert.equal(run('{{eq .Size 42}} {{eq "a" "b" "a"}} {{ne 1 2}} {{eq .Nope nil}}', data), 'true true true true');
  assert.equal(run('{{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1 2}} {{lt 1.5 2}}'), 'true true true false true');
  assert.equal(run('{{eq .Nope "x"}}', data), 'false');
  assert.equal(runErr('{{eq 1 "a"}}'), 'template: :1:2: executing "" at <eq 1 "a">: error calling eq: incompatible types for comparison: int and string');
  assert.equal(runErr('{{lt true false}}'), 'template: :1:2: executing "" at <lt true false>: error calling lt: invalid type for comparison');
  assert.equal(runErr('{{eq 1}}'), 'template: :1:2: executing "" at <eq 1>: error calling eq: missing argument for comparison');
  assert.equal(runErr('{{eq .Names .Names}}', data),
    'template: :1:2: executing "" at <eq .Names .Names>: error calling eq: non-comparable type [n1 n2]: []interface {}');
});

test('print, println, printf', () => {
  assert.equal(run('{{print 1 2 "a" 3 "b" "c"}}'), '1 2a3bc');
  assert.equal(run('{{println 1 "a"}}'), '1 a\n');
  assert.equal(run('{{printf "%-10s|%5d" .Name .Size}}', { Name: 'web', Size: 42 }), 'web       |   42');
  assert.equal(runErr('{{printf 1}}'), 'template: :1:9: executing "" at <1>: expected string; found 1');
});

test('call', () => {
  assert.equal(run('{{call .Fn 21}}', data), '42');
  assert.equal(runErr('{{call .Nope}}', data), 'template: :1:2: executing "" at <call .Nope>: error calling call: call of nil');
  assert.equal(runErr('{{call .Name}}', data),
    'template: :1:2: executing "" at <call .Name>: error calling call: non-function .Name of type string');
});

test('html, js, urlquery escapers', () => {
  assert.equal(htmlEscape(`<a href="x">'&'</a>`), '&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  assert.equal(jsEscape(`it's "<b>" a=b\\\n\u2028é`), 'it\\\'s \\"\\u003Cb\\u003E\\" a\\u003Db\\\\\\u000A\\u2028é');
  assert.equal(queryEscape('a b&c/d?é~'), 'a+b%26c%2Fd%3F%C3%A9~');
  assert.equal(run('{{html .}} {{urlquery "x y"}} {{js "a\'b"}}', '<x>'), '&lt;x&gt; x+y a\\\'b');
  assert.equal(run('{{html .Nope}}', data), '&lt;no value&gt;');
  assert.equal(run('{{html 1 2}}'), '1 2');
});
