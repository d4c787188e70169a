import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Lexer, itemString, type Item } from './lexer.js';

function lex(input: string): Array<[string, string]> {
  const l = new Lexer(input, { breakOK: true, continueOK: true });
  const out: Array<[string, string]> = [];
  for (;;) {
    const i: Item = l.nextItem();
    out.push([i.type, i.val]);
    if (i.type === 'eof' || i.type === 'error') return out;
  }
}

test('text and a field action', () => {
  assert.deepEqual(lex('id: {{.ID}}\n'), [
    ['text', 'id: '], ['leftDelim', '{{'], ['field', '.ID'], ['rightDelim', '}}'], ['text', '\n'], ['eof', ''],
  ]);
});

test('pipeline with function, string and number', () => {
  assert.deepEqual(lex('{{.A | printf "%d" 3}}').map((t) => t[0]), [
    'leftDelim', 'field', 'space', 'pipe', 'space', 'identifier', 'space', 'string', 'space', 'number', 'rightDelim', 'eof',
  ]);
});

test('chained fields are separate items', () => {
  assert.deepEqual(lex('{{.A.B}}').slice(1, 3), [['field', '.A'], ['field', '.B']]);
});

test('variables, declarations and assignment', () => {
  assert.deepEqual(lex('{{$x := $}}{{$x = 1}}').map((t) => t[0]), [
    'leftDelim', 'variable', 'space', 'declare', 'space', 'variable', 'rightDelim',
    'leftDelim', 'variable', 'space', 'assign', 'space', 'number', 'rightDelim', 'eof',
  ]);
});

test('keywords, bools, nil, dot', () => {
  const types = lex('{{if true}}{{else}}{{range .}}{{break}}{{end}}{{nil}}').map((t) => t[0]);
  assert.deepEqual(types, [
    'leftDelim', 'if', 'space', 'bool', 'rightDelim', 'leftDelim', 'else', 'rightDelim',
    'leftDelim', 'range', 'space', 'dot', 'rightDelim', 'leftDelim', 'break', 'rightDelim',
    'leftDelim', 'end', 'rightDelim', 'leftDelim', 'nil', 'rightDelim', 'eof',
  ]);
});

test('trim markers remove surrounding white space', () => {
  assert.deepEqual(lex('a \n {{- .X -}} \n b'), [
    ['text', 'a'], ['leftDelim', '{{'], ['field', '.X'], ['rightDelim', '}}'], ['text', 'b'], ['eof', ''],
  ]);
});

test('{{-3}} is a negative number, not a trim marker', () => {
  assert.deepEqual(lex('x {{-3}}').slice(0, 3), [['text', 'x '], ['leftDelim', '{{'], ['number', '-3']]);
});

test('comments vanish, with trimming', () => {
  assert.deepEqual(lex('a {{- /* hi */ -}} b'), [['text', 'a'], ['text', 'b'], ['eof', '']]);
  assert.deepEqual(lex('{{/* x */}}'), [['eof', '']]);
});

test('raw strings span lines; char constants', () => {
  assert.deepEqual(lex('{{`a\nb`}}')[1], ['rawString', '`a\nb`']);
  assert.deepEqual(lex("{{'\\n'}}")[1], ['charConstant', "'\\n'"]);
});

test('numbers in Go syntax', () => {
  for (const n of ['0x1F', '1_000', '1.5e3', '.5', '0b101', '0o17', '-2']) {
    assert.deepEqual(lex(`{{${n}}}`)[1], ['number', n]);
  }
});

test('lexical errors read like Go', () => {
  assert.deepEqual(lex('{{.ID').at(-1), ['error', 'unclosed action']);
  assert.deepEqual(lex('{{"abc}}').at(-1), ['error', 'unterminated quoted string']);
  assert.deepEqual(lex('{{`abc}}').at(-1), ['error', 'unterminated raw quoted string']);
  assert.deepEqual(lex('{{/* x').at(-1), ['error', 'unclosed comment']);
  assert.deepEqual(lex('{{/* x */ .A}}').at(-1), ['error', 'comment ends before closing delimiter']);
  assert.deepEqual(lex('{{(.A}}').at(-1), ['error', 'unclosed left paren']);
  assert.deepEqual(lex('{{.A)}}').at(-1), ['error', 'unexpected right paren']);
  assert.deepEqual(lex('{{3x}}').at(-1), ['error', 'bad number syntax: "3x"']);
  assert.deepEqual(lex('{{.A#}}').at(-1), ['error', "bad character U+0023 '#'"]);
  assert.deepEqual(lex('{{a:b}}').at(-1), ['error', 'expected :=']);
  assert.deepEqual(lex('{{\u00e9\u0301}}').at(-1)?.[0], 'error');
});

test('items print as Go prints them in errors', () => {
  assert.equal(itemString({ type: 'eof', pos: 0, val: '', line: 1 }), 'EOF');
  assert.equal(itemString({ type: 'end', pos: 0, val: 'end', line: 1 }), '<end>');
  assert.equal(itemString({ type: 'string', pos: 0, val: '"x"', line: 1 }), '"\\"x\\""');
  assert.equal(itemString({ type: 'text', pos: 0, val: 'abcdefghijklm', line: 1 }), '"abcdefghij"...');
});
