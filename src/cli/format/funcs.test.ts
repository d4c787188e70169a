import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DOCKER_FUNCS, HEADER_FUNCS, goSplit, goTitle, joinElements, truncateWithLength } from './funcs.js';
import { parseTemplate } from './template/index.js';

const run = (text: string, data: unknown): string => parseTemplate(text, DOCKER_FUNCS).execute(data);

function runErr(text: string, data: unknown): string {
  try {
    run(text, data);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`no error for ${text}`);
}

const inspect = {
  Name: '/web',
  Config: { Env: ['PATH=/usr/bin', 'X=<y>'], Labels: { 'com.example': 'v' }, Cmd: null },
  Ports: '0.0.0.0:2->8/udp',
  Mounts: [{ Source: '/a' }],
};

test('json: Go encoding without HTML escaping and without a trailing newline', () => {
  assert.equal(run('{{json .Config.Env}}', inspect), '["PATH=/usr/bin","X=<y>"]');
  assert.equal(run('{{json .Ports}}', inspect), '"0.0.0.0:2->8/udp"');
  assert.equal(run('{{json .Config.Cmd}} {{json .Nope}}', inspect), 'null null');
  assert.equal(run('{{json .}}', { b: 1, a: [true, 1.5] }), '{"b":1,"a":[true,1.5]}');
  assert.equal(runErr('{{json .}}', NaN), 'template: :1:2: executing "" at <json .>: error calling json: json: unsupported value: NaN');
});

test('split and join', () => {
  assert.equal(run('{{join (split . ":") "/"}}', 'text:with:colon'), 'text/with/colon');
  assert.equal(run('{{split . ":"}}', 'ubuntu'), '[ubuntu]');
  assert.deepEqual(goSplit('abc', ''), ['a', 'b', 'c']);
  assert.deepEqual(goSplit('', ','), ['']);
  assert.equal(run('{{join .Names ","}}', { Names: ['a', 'b'] }), 'a,b');
  assert.equal(joinElements([1, 'x', null, [2]], '|'), '1|x|<nil>|[2]');
  assert.equal(joinElements({ k1: 'z', k2: 'a' }, ','), 'a,z');
  assert.equal(joinElements(null, ','), '');
  assert.equal(runErr('{{join .Name ","}}', inspect), 'template: :1:2: executing "" at <join .Name ",">: error calling join: expected slice, got string');
  assert.equal(runErr('{{join .Names}}', { Names: [] }), 'template: :1:2: executing "" at <join>: wrong number of args for join: want 2 got 1');
});

test('title, lower, upper', () => {
  assert.equal(run('{{title .}}', 'hello wORLD foo-bar_baz'), 'Hello WORLD Foo-Bar_baz');
  assert.equal(goTitle('élan vital'), 'Élan Vital');
  assert.equal(run('{{lower .}} {{upper .}}', 'MiXed'), 'mixed MIXED');
  // Go maps rune by rune: ß has no single-rune upper case and stays.
  assert.equal(run('{{upper .}}', 'straße'), 'STRAßE');
  assert.equal(runErr('{{upper .}}', 5), 'template: :1:8: executing "" at <.>: wrong type for value; expected string; got int');
});

test('pad and truncate', () => {
  assert.equal(run('{{pad . 3 3}}|', 'id'), '   id   |');
  assert.equal(run('[{{pad . 3 3}}]', ''), '[]');
  assert.equal(run('{{truncate . 5}} {{truncate . 25}} {{truncate . 30}}', 'tupx5xzf6hvsrhnruz5cr8gwp'),
    'tupx5 tupx5xzf6hvsrhnruz5cr8gwp tupx5xzf6hvsrhnruz5cr8gwp');
  assert.equal(truncateWithLength('abc', 0), '');
  // Byte-based, as Go slices strings: the cut falls inside é.
  assert.equal(truncateWithLength('héllo', 2), 'h\ufffd');
  assert.equal(runErr('{{truncate . "5"}}', 'x'), 'template: :1:13: executing "" at <"5">: expected integer; found "5"');
});

test('Go builtins stay available next to docker functions', () => {
  assert.equal(run('{{len .Mounts}} {{index .Config.Labels "com.example"}} {{println "x"}}', inspect), '1 v x\n');
});

test('header functions pass the column name through', () => {
  const header = { ID: 'CONTAINER ID', Image: 'IMAGE', Ports: 'PORTS' };
  const t = parseTemplate('{{truncate .ID 5}}\t{{json .Image}}\t{{pad .Ports 2 2}}\t{{upper .ID}}\t{{split .Image ":"}}',
    DOCKER_FUNCS).withFuncs(HEADER_FUNCS);
  assert.equal(t.execute(header), 'CONTAINER ID\tIMAGE\t  PORTS  \tCONTAINER ID\tIMAGE');
});
