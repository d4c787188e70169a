/** pflag semantics of the flag parser: clusters, glued values, `=`, `--`, interspersed, errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlagError, parseFlags, type FlagDef } from './flags.js';

const defs: FlagDef[] = [
  { long: 'interactive', short: 'i', kind: 'bool', help: '' },
  { long: 'tty', short: 't', kind: 'bool', help: '' },
  { long: 'env', short: 'e', kind: 'list', help: '' },
  { long: 'last', short: 'n', kind: 'int', help: '', default: -1 },
  { long: 'name', kind: 'string', help: '' },
  { long: 'sig-proxy', kind: 'bool', help: '', default: true },
];

test('short clusters, glued and separate values, repeatable lists', () => {
  const r = parseFlags(['-it', '-eA=1', '-e', 'B=2', '--env=C', '-n5', '--name', 'x', 'img', 'cmd'], defs);
  assert.equal(r.values.bool('interactive'), true);
  assert.equal(r.values.bool('tty'), true);
  assert.deepEqual(r.values.list('env'), ['A=1', 'B=2', 'C']);
  assert.equal(r.values.int('last'), 5);
  assert.equal(r.values.str('name'), 'x');
  assert.deepEqual(r.args, ['img', 'cmd']);
});

test('-n=5, --flag=false, defaults and has()', () => {
  const r = parseFlags(['-n=5', '--sig-proxy=false'], defs);
  assert.equal(r.values.int('last'), 5);
  assert.equal(r.values.bool('sig-proxy'), false);
  assert.equal(r.values.has('name'), false);
  assert.equal(parseFlags([], defs).values.int('last'), -1);
  assert.equal(parseFlags([], defs).values.bool('sig-proxy'), true);
});

test('non-interspersed stops at the first argument; -- ends flags', () => {
  assert.deepEqual(parseFlags(['-i', 'img', '-t', 'ls', '-l'], defs, false).args, ['img', '-t', 'ls', '-l']);
  assert.deepEqual(parseFlags(['--', '-i'], defs).args, ['-i']);
  assert.deepEqual(parseFlags(['a', '-i', 'b'], defs).args, ['a', 'b']);
});

test('help and pflag error wording', () => {
  assert.equal(parseFlags(['-h'], defs).help, true);
  assert.equal(parseFlags(['--help'], defs).help, true);
  assert.throws(() => parseFlags(['--foo'], defs), new FlagError('unknown flag: --foo'));
  assert.throws(() => parseFlags(['-iz'], defs), new FlagError("unknown shorthand flag: 'z' in -iz"));
  assert.throws(() => parseFlags(['-n'], defs), new FlagError("flag needs an argument: 'n' in -n"));
  assert.throws(() => parseFlags(['--name'], defs), new FlagError('flag needs an argument: --name'));
  assert.throws(() => parseFlags(['-n', 'x'], defs), /invalid argument "x" for "-n, --last" flag: strconv.ParseInt/);
});
