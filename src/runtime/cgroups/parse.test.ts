import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBlkioV1, parseFlatKeyed, parseIoStat, parseLimit, parseNumberList } from './parse.js';

test('limits: max and the v1 unlimited sentinel are undefined', () => {
  assert.equal(parseLimit('max'), undefined);
  assert.equal(parseLimit('9223372036854771712\n'), undefined);
  assert.equal(parseLimit('33554432\n'), 33554432);
  assert.equal(parseLimit(undefined), undefined);
});

test('flat keyed and number lists', () => {
  assert.deepEqual(parseFlatKeyed('oom_kill_disable 0\nunder_oom 0\noom_kill 2\n'), { oom_kill_disable: 0, under_oom: 0, oom_kill: 2 });
  assert.deepEqual(parseNumberList('10 20 30 \n'), [10, 20, 30]);
  assert.deepEqual(parseNumberList(''), []);
});

test('v1 blkio lines, Total dropped', () => {
  assert.deepEqual(parseBlkioV1('8:0 Read 4096\n8:0 Write 0\nTotal 4096\n'), [
    { major: 8, minor: 0, op: 'Read', value: 4096 },
    { major: 8, minor: 0, op: 'Write', value: 0 },
  ]);
});

test('v2 io.stat', () => {
  const s = parseIoStat('8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n');
  assert.deepEqual(s.serviceBytes.map((e) => `${e.op}=${e.value}`), ['read=4096', 'write=8192', 'discard=0']);
  assert.deepEqual(s.serviced.map((e) => `${e.op}=${e.value}`), ['read=1', 'write=2', 'discard=0']);
});
