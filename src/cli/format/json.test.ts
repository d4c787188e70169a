import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goJSON } from './json.js';

test('strings are escaped as encoding/json does', () => {
  assert.equal(goJSON('a"b\\c\n\t\r\b\f\x01\x7f'), '"a\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\x7f"');
  assert.equal(goJSON('\u2028\u2029é'), '"\\u2028\\u2029é"');
  assert.equal(goJSON('<a&b>'), '"<a&b>"');
  assert.equal(goJSON('<a&b>', { escapeHTML: true }), '"\\u003ca\\u0026b\\u003e"');
  assert.equal(goJSON('\ud800'), '"\\ufffd"');
});

test('scalars, arrays and nulls', () => {
  assert.equal(goJSON(null), 'null');
  assert.equal(goJSON(undefined), 'null');
  assert.equal(goJSON([1, 2.5, true, 'x', null, 1e21, 1e-7, 10n]), '[1,2.5,true,"x",null,1e+21,1e-7,10]');
  assert.throws(() => goJSON(Infinity), /json: unsupported value: \+Inf/);
  assert.throws(() => goJSON(() => 1), /json: unsupported type/);
});

test('plain objects keep their (Engine API, struct) order; Maps sort', () => {
  assert.equal(goJSON({ b: 1, a: { d: 2, c: 3 }, skip: undefined }), '{"b":1,"a":{"d":2,"c":3}}');
  assert.equal(goJSON(new Map([['b', 1], ['a', 2]])), '{"a":2,"b":1}');
});

test('struct-like objects marshal like docker formatter contexts: exported zero-arg methods, sorted', () => {
  class Ctx {
    private readonly secret = 'x';
    Status = 'Up';
    get ID(): string { return 'abc'; }
    Names(): string { return 'web'; }
    Label(name: string): string { return name; }
    lower(): string { return this.secret; }
  }
  assert.equal(goJSON(new Ctx()), '{"ID":"abc","Names":"web","Status":"Up"}');
  assert.equal(goJSON({ toJSON: () => 1, a: 2 }), '1');
  assert.equal(goJSON({ a: 1, f: () => 2, g: (x: number) => x }), '{"a":1,"f":2}');
  class WithToJSON { toJSON(): unknown { return { z: 1 }; } }
  assert.equal(goJSON(new WithToJSON()), '{"z":1}');
  assert.equal(goJSON(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 100))), '"2024-01-02T03:04:05.1Z"');
});

test('cycles are refused', () => {
  const a: Record<string, unknown> = {};
  a.self = a;
  assert.throws(() => goJSON(a), /cycle/);
});
