import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sprint, sprintf, sprintln } from './fmt.js';
import { formatFloat } from '../../../common/gofloat.js';

test('printf verbs on strings', () => {
  assert.equal(sprintf('%s|%q|%v|%x|%X|% x|%#x', ['hi', 'hi', 'hi', 'hi', 'hi', 'hi', 'hi']), 'hi|"hi"|hi|6869|6869|68 69|0x6869');
  assert.equal(sprintf('%-10s|%10s|%.2s|%5.1s|', ['ab', 'ab', 'héllo', 'xyz']), 'ab        |        ab|hé|    x|');
  assert.equal(sprintf('%q %+q %#q', ['a\n"é', 'é', 'back']), '"a\\n\\"é" "\\u00e9" `back`');
});

test('printf verbs on integers', () => {
  assert.equal(sprintf('%d|%5d|%-5d|%05d|%+d|% d|%x|%X|%#x|%o|%#o|%O|%b|%c|%q|%U|%#U',
    [42, 42, 42, -42, 42, 42, 255, 255, 255, 8, 8, 8, 5, 0x41, 0x41, 0x41, 0x41]),
  '42|   42|42   |-0042|+42| 42|ff|FF|0xff|10|010|0o10|101|A|\'A\'|U+0041|U+0041 \'A\'');
  assert.equal(sprintf('%.3d|%8.3d', [7, -7]), '007|    -007');
  assert.equal(sprintf('%d', [BigInt('9007199254740993')]), '9007199254740993');
});

test('printf verbs on floats', () => {
  assert.equal(sprintf('%f|%.2f|%8.3f|%-8.1f|%08.3f|%+.1f', [3.14159, 3.14159, 3.14159, 3.14159, -3.14159, 2.5]),
    '3.141590|3.14|   3.142|3.1     |-003.142|+2.5');
  assert.equal(sprintf('%e|%E|%.2e|%g|%G|%.3g|%g|%v', [1234.5678, 1234.5678, 1234.5678, 0.00001234, 1e-7, 1234.5678, 100000, 1e6 + 0.5]),
    '1.234568e+03|1.234568E+03|1.23e+03|1.234e-05|1E-07|1.23e+03|100000|1.0000005e+06');
  assert.equal(sprintf('%v %v %v', [Infinity, -Infinity, NaN]), '+Inf -Inf NaN');
  assert.equal(sprintf('%.0f %.0f %.0f %.1f', [0.5, 1.5, 2.5, 0.25]), '0 2 2 0.2');
});

test('printf on booleans, nil, composites and types', () => {
  assert.equal(sprintf('%t %v %5t', [true, false, true]), 'true false  true');
  assert.equal(sprintf('%v %s %d', [null, undefined, null]), '<nil> %!s(<nil>) %!d(<nil>)');
  assert.equal(sprintf('%v|%s|%q|%d|%03d', [['a', 'b'], ['a', 'b'], ['a', 'b'], [1, 2], [1, 2]]), '[a b]|[a b]|["a" "b"]|[1 2]|[001 002]');
  assert.equal(sprintf('%v', [{ b: 2, a: [1] }]), 'map[a:[1] b:2]');
  assert.equal(sprintf('%T %T %T %T %T %T', ['s', 1, 1.5, true, [1], { a: 1 }]),
    'string int float64 bool []interface {} map[string]interface {}');
  class Point { X = 1; Y = 'y'; }
  assert.equal(sprintf('%v %+v', [new Point(), new Point()]), '{1 y} {X:1 Y:y}');
  class Named { String(): string { return 'named!'; } }
  assert.equal(sprintf('%v %s %q', [new Named(), new Named(), new Named()]), 'named! named! "named!"');
  assert.equal(sprintf('%+v %+d', [5, 5]), '5 +5');
  assert.equal(sprintf('%f %.1f', [1, 2]), '1.000000 2.0'); // JS has no int/float distinction
  assert.equal(sprintf('%v', [new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 120))]), '2024-01-02 03:04:05.12 +0000 UTC');
});

test('printf argument errors are reported in-band, as Go does', () => {
  assert.equal(sprintf('%d %s', ['x', 5]), '%!d(string=x) %!s(int=5)');
  assert.equal(sprintf('%s %s', ['a']), 'a %!s(MISSING)');
  assert.equal(sprintf('%s', ['a', 1, 'b']), 'a%!(EXTRA int=1, string=b)');
  assert.equal(sprintf('%z', [1]), '%!z(int=1)');
  assert.equal(sprintf('100%%', []), '100%');
  assert.equal(sprintf('%', []), '%!(NOVERB)');
  assert.equal(sprintf('%t', [1]), '%!t(int=1)');
});

test('width and precision from arguments, explicit indexes', () => {
  assert.equal(sprintf('%*d|%-*d|%.*f', [5, 42, 4, 7, 2, 3.14159]), '   42|7   |3.14');
  assert.equal(sprintf('%[2]s %[1]s', ['a', 'b']), 'b a');
  assert.equal(sprintf('%*d', ['x', 1]), '%!(BADWIDTH)1');
});

test('Sprint spacing and Sprintln', () => {
  assert.equal(sprint(['a', 'b', 1, 2, 'c', true]), 'ab1 2ctrue');
  assert.equal(sprintln(['a', 1, null]), 'a 1 <nil>\n');
});

test('Go float formatting rounds half to even on the exact value', () => {
  const cases: Array<[number, 'e' | 'f' | 'g', number, string]> = [
    [0, 'g', -1, '0'],
    [0.1 + 0.2, 'g', -1, '0.30000000000000004'],
    [123456789, 'g', -1, '1.23456789e+08'],
    [100000, 'g', -1, '100000'],
    [1000000, 'g', -1, '1e+06'],
    [0.0001, 'g', -1, '0.0001'],
    [0.00001, 'g', -1, '1e-05'],
    [1, 'g', 4, '1'],
    [1.5, 'g', 4, '1.5'],
    [999.95, 'g', 4, '1000'],
    [10000, 'g', 4, '1e+04'],
    [123456, 'g', 4, '1.235e+05'],
    [2.675, 'f', 2, '2.67'], // 2.675 is 2.67499999… in binary
    [1.005, 'f', 2, '1.00'],
    [0.125, 'f', 2, '0.12'],
    [0.375, 'f', 2, '0.38'],
    [9.9999, 'f', 2, '10.00'],
    [1e21, 'f', 0, '1000000000000000000000'],
    [5e-324, 'e', 3, '4.941e-324'],
    [-0, 'g', -1, '-0'],
    [-1.5, 'e', -1, '-1.5e+00'],
  ];
  for (const [x, fmt, prec, want] of cases) assert.equal(formatFloat(x, fmt, prec), want, `${x} ${fmt} ${prec}`);
});
