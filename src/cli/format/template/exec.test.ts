import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isEngineError } from '../../../common/errors.js';
import { goFunc, parseTemplate, type FuncMap } from './index.js';

const run = (text: string, data: unknown, funcs?: FuncMap): string => parseTemplate(text, funcs).execute(data);

function runErr(text: string, data: unknown, funcs?: FuncMap): string {
  try {
    run(text, data, funcs);
  } catch (e) {
    assert.ok(isEngineError(e));
    assert.equal(e.kind, 'invalid-argument');
    return e.message;
  }
  throw new Error(`no error for ${text}`);
}

const ctr = {
  ID: 'abc123',
  Name: 'web',
  Size: 42,
  State: 'running',
  Labels: { 'a.b': 'x', z: '1', c: '2' },
  Mounts: [{ Source: '/a', RW: true }, { Source: '/b', RW: false }],
  Names: ['n1', 'n2'],
  Config: { Env: ['A=1', 'B=2'], Cmd: null },
  Health: null,
};

/** A struct-like value: docker's formatter contexts expose methods and getters. */
class ContainerContext {
  static goTypeName = '*formatter.ContainerContext';
  constructor(private readonly c: { id: string; labels: Record<string, string> }) {}
  get ID(): string { return this.c.id; }
  Names(): string { return 'web'; }
  Label(name: string): string { return this.c.labels[name] ?? ''; }
}

test('fields, nested fields and map keys', () => {
  assert.equal(run('{{.ID}}', ctr), 'abc123');
  assert.equal(run('{{.Config.Env}}', ctr), '[A=1 B=2]');
  assert.equal(run('{{.Labels.z}}', ctr), '1');
  assert.equal(run('{{.}}', 'dot'), 'dot');
  assert.equal(run('{{$.Name}}', ctr), 'web');
});

test('missing map keys print <no value>, as docker leaves missingkey unset', () => {
  assert.equal(run('{{.Nope}}', ctr), '<no value>');
  assert.equal(run('{{.Nope.Deeper}}', ctr), '<no value>');
  assert.equal(run('{{.Labels.nope}}', ctr), '<no value>');
  assert.equal(run('{{.Health}}', ctr), '<no value>');
  assert.equal(run('{{print .Health}} {{.Config}}', ctr), '<nil> map[Cmd:<nil> Env:[A=1 B=2]]');
});

test('Go printing of composite values', () => {
  assert.equal(run('{{.Labels}}', ctr), 'map[a.b:x c:2 z:1]');
  assert.equal(run('{{.Mounts}}', ctr), '[map[RW:true Source:/a] map[RW:false Source:/b]]');
  assert.equal(run('{{.}}', [1, 'a', null, 2.5, [true]]), '[1 a <nil> 2.5 [true]]');
  assert.equal(run('{{.}}', new Map([[2, 'b'], [1, 'a']])), 'map[1:a 2:b]');
  assert.equal(run('{{.}}', 1e21), '1e+21');
  assert.equal(run('{{.}}', 0.000012), '1.2e-05');
  assert.equal(run('{{.}}', 123456.5), '123456.5');
  assert.equal(run('{{.}}', 1234567.5), '1.2345675e+06');
});

test('range over slices and maps (sorted keys), with variables and else', () => {
  assert.equal(run('{{range .Mounts}}{{.Source}} {{end}}', ctr), '/a /b ');
  assert.equal(run('{{range $k, $v := .Labels}}{{$k}}={{$v}};{{end}}', ctr), 'a.b=x;c=2;z=1;');
  assert.equal(run('{{range $i, $n := .Names}}{{$i}}:{{$n}} {{end}}', ctr), '0:n1 1:n2 ');
  assert.equal(run('{{range $n := .Names}}{{$n}}{{end}}', ctr), 'n1n2');
  assert.equal(run('{{range .Nope}}x{{else}}none{{end}}', ctr), 'none');
  assert.equal(run('{{range .Config.Cmd}}x{{else}}none{{end}}', ctr), 'none');
  assert.equal(run('{{range .}}x{{else}}empty{{end}}', []), 'empty');
  assert.equal(run('{{range $i, $e := .}}{{if $i}},{{end}}{{$e}}{{end}}', ['a', 'b', 'c']), 'a,b,c');
  assert.equal(run('{{range 3}}{{.}}{{end}}', null), '012');
});

test('break and continue', () => {
  assert.equal(run('{{range .}}{{if eq . 3}}{{break}}{{end}}{{.}}{{end}}', [1, 2, 3, 4]), '12');
  assert.equal(run('{{range .}}{{if eq . 3}}{{continue}}{{end}}{{.}}{{end}}', [1, 2, 3, 4]), '124');
  assert.equal(run('{{range .}}{{range .}}{{break}}{{end}}{{.}}{{end}}', [[1], [2]]), '[1][2]');
});

test('if / else if / else, with Go truthiness', () => {
  const t = '{{if eq .State "running"}}up{{else if eq .State "paused"}}paused{{else}}down{{end}}';
  assert.equal(run(t, ctr), 'up');
  assert.equal(run(t, { State: 'paused' }), 'paused');
  assert.equal(run(t, { State: 'exited' }), 'down');
  const truth = (v: unknown): string => run('{{if .}}T{{else}}F{{end}}', v);
  assert.deepEqual([0, 1, '', 'a', [], [0], {}, { a: 1 }, null, undefined, false, true, 0.0, 0.5].map(truth),
    ['F', 'T', 'F', 'T', 'F', 'T', 'F', 'T', 'F', 'F', 'F', 'T', 'F', 'T']);
  assert.equal(truth(new ContainerContext({ id: '', labels: {} })), 'T');
});

test('with sets dot; else runs on a zero value', () => {
  assert.equal(run('{{with .Config}}{{.Env}}{{end}}', ctr), '[A=1 B=2]');
  assert.equal(run('{{with .Health}}{{.Status}}{{else}}no health{{end}}', ctr), 'no health');
  assert.equal(run('{{with .Nope}}x{{else with .Name}}{{.}}{{end}}', ctr), 'web');
});

test('variables: declaration, assignment, scope', () => {
  assert.equal(run('{{$x := .ID}}{{$x}}', ctr), 'abc123');
  assert.equal(run('{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}', null), '2');
  assert.equal(run('{{$x := 1}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}', null), '21');
  assert.equal(run('{{$x := "a"}}{{range .}}{{$x = .}}{{end}}{{$x}}', ['b', 'c']), 'c');
  assert.equal(run('{{$}}', 'top'), 'top');
});

test('pipelines and parenthesised arguments', () => {
  assert.equal(run('{{.Name | printf "%s!"}}', ctr), 'web!');
  assert.equal(run('{{"abc" | len}}', null), '3');
  assert.equal(run('{{printf "%d mounts" (len .Mounts)}}', ctr), '2 mounts');
  assert.equal(run('{{(index .Mounts 1).Source}}', ctr), '/b');
  assert.equal(run('{{.Names | len | printf "%03d"}}', ctr), '002');
});

test('methods and getters on struct-like objects, including methods with arguments', () => {
  const c = new ContainerContext({ id: 'deadbeef', labels: { 'com.example': 'yes' } });
  assert.equal(run('{{.ID}} {{.Names}}', c), 'deadbeef web');
  assert.equal(run('{{.Label "com.example"}}', c), 'yes');
  assert.equal(run('{{"com.example" | .Label}}', c), 'yes');
  assert.equal(run('{{.Greet "x"}}', { Greet: (n: string) => `hi ${n}` }), 'hi x');
  assert.equal(runErr('{{.Label}}', c), 'template: :1:2: executing "" at <.Label>: wrong number of args for Label: want 1 got 0');
  assert.equal(runErr('{{.Nope}}', c),
    'template: :1:2: executing "" at <.Nope>: can\'t evaluate field Nope in type *formatter.ContainerContext');
  assert.equal(runErr('{{.ID 1}}', c), 'template: :1:2: executing "" at <.ID>: ID has arguments but cannot be invoked as function');
  assert.equal(runErr('{{.Name 1}}', ctr), 'template: :1:2: executing "" at <.Name>: Name is not a method but has arguments');
  const failing = { get Bad(): string { throw new Error('boom'); } };
  assert.equal(runErr('{{.Bad}}', new (class X { get Bad(): string { return failing.Bad; } })()),
    'template: :1:2: executing "" at <.Bad>: error calling Bad: boom');
});

test('function-valued properties are called, except as the first argument of call', () => {
  const data = { Fn: (x: number) => x * 2, Zero: () => 'z', Names: () => 'a,b' };
  assert.equal(run('{{.Zero}} {{upper .Names}} {{.Fn 2}} {{call .Fn 3}}', data, { upper: (s: string) => s.toUpperCase() }), 'z A,B 4 6');
  class Ctx { Own = (x: number): number => x + 1; }
  assert.equal(run('{{call .Own 1}} {{.Own 1}}', new Ctx()), '2 2');
});

test('define, template and block; templates see only their own $', () => {
  assert.equal(run('{{define "x"}}[{{.}}]{{end}}{{template "x" .ID}}', ctr), '[abc123]');
  assert.equal(run('{{block "b" .Name}}<{{.}}>{{end}}', ctr), '<web>');
  assert.equal(run('{{define "r"}}{{$}}{{end}}{{$y := 1}}{{template "r" 5}}', null), '5');
  assert.equal(run('{{define "n"}}{{.}}{{end}}{{template "n"}}', 'ignored'), '<no value>');
  assert.equal(runErr('{{template "missing"}}', null),
    'template: :1:11: executing "" at <{{template "missing"}}>: template "missing" not defined');
  assert.match(runErr('{{define "loop"}}{{template "loop"}}{{end}}{{template "loop"}}', null), /exceeded maximum template depth/);
});

test('comments and trim markers', () => {
  assert.equal(run('a {{- /* note */ -}} b', null), 'ab');
  assert.equal(run('{{- .ID -}}\n', ctr), 'abc123');
  assert.equal(run('x\n  {{- range .}}\n  {{.}}\n{{- end}}', [1, 2]), 'x\n  1\n  2');
});

test('literals: strings with escapes, raw strings, numbers, chars, bools, nil', () => {
  assert.equal(run('{{"a\\tb\\u00e9\\x41"}}', null), 'a\tbéA');
  assert.equal(run('{{`raw\\n`}}', null), 'raw\\n');
  assert.equal(run("{{'a'}} {{0x10}} {{1_000}} {{-5}} {{0o17}} {{017}} {{1.5}}", null), '97 16 1000 -5 15 15 1.5');
  assert.equal(run('{{true}} {{false}}', null), 'true false');
  assert.equal(run('{{print nil}}', null), '<nil>');
});

test('functions from the FuncMap, with Go argument checking', () => {
  const funcs: FuncMap = {
    double: goFunc(['int'], (n: number) => n * 2),
    greet: (name: unknown) => `hello ${String(name)}`,
    fail: () => { throw new Error('nope'); },
  };
  assert.equal(run('{{double 21}} {{greet .Name}}', ctr, funcs), '42 hello web');
  assert.equal(runErr('{{double "x"}}', null, funcs), 'template: :1:9: executing "" at <"x">: expected integer; found "x"');
  assert.equal(runErr('{{double .Name}}', ctr, funcs),
    'template: :1:9: executing "" at <.Name>: wrong type for value; expected int; got string');
  assert.equal(runErr('{{double}}', null, funcs), 'template: :1:2: executing "" at <double>: wrong number of args for double: want 1 got 0');
  assert.equal(runErr('{{fail}}', null, funcs), 'template: :1:2: executing "" at <fail>: error calling fail: nope');
  assert.equal(runErr('{{double nil}}', null, funcs), 'template: :1:9: executing "" at <nil>: cannot assign nil to int');
});

test('execution errors carry Go positions and contexts', () => {
  assert.equal(runErr('{{nil}}', null), 'template: :1:2: executing "" at <nil>: nil is not a command');
  // A value read out of a map has Go's static type interface {}; dot itself has its own type.
  assert.equal(runErr('{{.ID.Foo}}', ctr), 'template: :1:5: executing "" at <.ID.Foo>: can\'t evaluate field Foo in type interface {}');
  assert.equal(runErr('{{.Foo}}', 'str'), 'template: :1:2: executing "" at <.Foo>: can\'t evaluate field Foo in type string');
  assert.equal(runErr('line1\n  {{index .Names 5}}', ctr),
    'template: :2:4: executing "" at <index .Names 5>: error calling index: index out of range: 5');
  assert.equal(runErr('{{range .ID}}{{end}}', ctr), 'template: :1:8: executing "" at <.ID>: range can\'t iterate over abc123');
  assert.equal(runErr('{{"x" 1}}', null), 'template: :1:2: executing "" at <"x">: can\'t give argument to non-function "x"');
  assert.equal(runErr('{{.}}', () => 1), 'template: :1:2: executing "" at <{{.}}>: can\'t print {{.}} of type func(...interface {}) interface {}');
});

test('partial output survives an error, as Go leaves it in the writer', () => {
  const r = parseTemplate('a{{.X}}b{{index .L 9}}c').tryExecute({ L: [1] });
  assert.equal(r.output, 'a<no value>b');
  assert.ok(r.error);
});

test('withFuncs replaces functions after parsing', () => {
  const t = parseTemplate('{{shout .}}', { shout: (s: string) => s.toUpperCase() });
  assert.equal(t.execute('hi'), 'HI');
  assert.equal(t.withFuncs({ shout: (s: string) => s }).execute('hi'), 'hi');
});

test('bad FuncMap names are rejected', () => {
  assert.throws(() => parseTemplate('x', { 'bad-name': () => 1 }), /not a valid identifier/);
});
