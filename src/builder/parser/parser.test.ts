/** Parser behaviour beyond the corpus: directives, escape token, line numbers, errors, warnings. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineError } from '../../common/errors.js';
import { detectSyntax } from './directives.js';
import { DockerfileParseError } from './errors.js';
import { parseWords } from './line-parsers.js';
import { dumpNode } from './node.js';
import { formatWarnings, parseDockerfile } from './parser.js';

const dump = (text: string): string => dumpNode(parseDockerfile(text).ast);

test('directives are read only at the top, case-insensitively', () => {
  const r = parseDockerfile('# syntax=docker/dockerfile:1\n# ESCAPE = `\n#check=skip=all\nFROM a\n');
  assert.deepEqual(r.directives, { syntax: 'docker/dockerfile:1', escape: '`', check: 'skip=all' });
  assert.equal(r.escapeToken, '`');
  assert.deepEqual(r.ast.children[0]!.prevComment, []);
  const late = parseDockerfile('# hello\n# escape=`\nFROM a\n');
  assert.equal(late.escapeToken, '\\');
  assert.deepEqual(late.ast.children[0]!.prevComment, ['hello', 'escape=`']);
  assert.equal(parseDockerfile('FROM a\n# syntax=x\n').directives.syntax, undefined);
  assert.equal(parseDockerfile('\n# escape=`\nFROM a\n').escapeToken, '\\');
});

test('a repeated directive and an invalid escape token are errors on their line', () => {
  assert.throws(() => parseDockerfile('# escape=`\n# escape=\\\nFROM a\n'), {
    message: 'only one escape parser directive can be used',
    startLine: 2,
  });
  assert.throws(() => parseDockerfile('# escape=x\nFROM a\n'), {
    message: "invalid escape token 'x' does not match ` or \\",
    startLine: 1,
  });
});

test('the backtick escape token continues lines and leaves backslashes alone', () => {
  assert.equal(dump('# escape=`\nFROM a\nRUN dir c:\\ `\n  /w\nCOPY `\n  x y\n'),
    '(from "a")\n(run "dir c:\\\\   /w")\n(copy "x" "y")');
});

test('continuations skip comments and blank lines, and end at EOF', () => {
  const r = parseDockerfile('FROM a\nRUN a \\\n# note\n\n  b \\\n');
  assert.equal(dumpNode(r.ast), '(from "a")\n(run "a   b")');
  assert.deepEqual([r.ast.children[1]!.startLine, r.ast.children[1]!.endLine], [2, 5]);
  assert.equal(r.warnings.length, 1);
  assert.equal(r.warnings[0]!.short, 'Empty continuation line found in: RUN a   b ');
  assert.equal(formatWarnings(r.warnings).length, 2);
});

test('flags, JSON form and shell-form fallback', () => {
  assert.equal(dump('COPY --from=build --chown=1:1 ["a b", "c"]\n'), '(copy ["--from=build" "--chown=1:1"] "a b" "c")');
  assert.equal(dump('RUN --mount="type=bind,src=a b" echo\n'), '(run ["--mount=type=bind,src=a b"] "echo")');
  assert.equal(dump('CMD ["a", \n'), '(cmd "[\\"a\\",")');
  assert.throws(() => parseDockerfile('CMD ["a", 1]\n'), {
    message: 'when using JSON array syntax, arrays must be comprised of strings only',
    startLine: 1,
  });
});

test('per-instruction argument shapes', () => {
  assert.equal(dump('ENV a=1 b="2 3"\nLABEL x y z\nARG v=1 w\nEXPOSE 80  443/udp\n'),
    '(env "a" "1" "=" "b" "\\"2 3\\"" "=")\n(label "x" "y z" "")\n(arg "v=1" "w")\n(expose "80" "443/udp")');
  assert.equal(dump('HEALTHCHECK NONE\nMAINTAINER Jo <j@x>\nONBUILD ADD . /\nFOO bar\n'),
    '(healthcheck "NONE")\n(maintainer "Jo <j@x>")\n(onbuild (add "." "/"))\n(foo "")');
  assert.equal(dump('STOPSIGNAL SIGKILL\nSHELL ["sh", "-c"]\nVOLUME /a /b\n'),
    '(stopsignal "SIGKILL")\n(shell "sh" "-c")\n(volume "/a" "/b")');
});

test('errors carry the lines of the failing instruction', () => {
  try {
    parseDockerfile('FROM a\n\nENV a=1 \\\n  b\n');
    assert.fail('expected an error');
  } catch (e) {
    assert.ok(e instanceof DockerfileParseError);
    assert.ok(e instanceof EngineError);
    assert.equal(e.kind, 'invalid-argument');
    assert.equal(e.message, 'Syntax error - can\'t find = in "b". Must be of the form: name=value');
    assert.deepEqual([e.startLine, e.endLine], [3, 4]);
  }
  assert.throws(() => parseDockerfile(''), { message: 'file with no instructions' });
  assert.throws(() => parseDockerfile('# only\n\n'), { message: 'file with no instructions', startLine: 2 });
  assert.throws(() => parseDockerfile('FROM a\nENV PATH\n'), { message: 'ENV must have two arguments', startLine: 2 });
});

test('a line over 64 KiB is rejected like BuildKit', () => {
  const text = `FROM a\nLABEL test=${'a'.repeat(65536)}\n`;
  assert.throws(() => parseDockerfile(text), { message: 'dockerfile line greater than max allowed size of 65535' });
});

test('BOM, CRLF and comments before instructions', () => {
  const r = parseDockerfile('\ufeff# syntax=x\r\n# about a\r\nFROM a\r\nRUN b \\\r\n c\r\n');
  assert.equal(dumpNode(r.ast), '(from "a")\n(run "b  c")');
  assert.equal(r.directives.syntax, 'x');
  assert.deepEqual(r.ast.children[0]!.prevComment, ['about a']);
  assert.equal(r.ast.children[0]!.original, 'FROM a');
});

test('parseWords keeps quotes and escapes', () => {
  assert.deepEqual(parseWords('foo\\ bar', '\\'), ['foo\\ bar']);
  assert.deepEqual(parseWords("foo bar 'abc xyz'", '\\'), ['foo', 'bar', "'abc xyz'"]);
  assert.deepEqual(parseWords('föo bàr "âbc xÿz"', '\\'), ['föo', 'bàr', '"âbc xÿz"']);
});

test('detectSyntax skips a shebang and accepts // comments', () => {
  assert.equal(detectSyntax('# syntax = dockerfile:experimental // opts\nFROM busybox\n'), 'dockerfile:experimental');
  assert.equal(detectSyntax('#!/bin/sh\n# syntax = x\nFROM b\n'), 'x');
  assert.equal(detectSyntax('#!/bin/sh\n\n# syntax = x\n'), undefined);
  assert.equal(detectSyntax('//syntax=foo\n//key=value'), 'foo');
  assert.equal(detectSyntax('FROM busybox\n'), undefined);
});
