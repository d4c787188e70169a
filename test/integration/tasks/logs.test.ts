/** The json-file log as Docker writes it: escaping, long lines, rotation at max-size/max-file. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { Fixture } from './fixture.js';

const skip = process.getuid?.() !== 0 ? 'task integration tests need root' : false;

function entries(path: string): { log: string; stream: string }[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { log: string; stream: string });
}

test('escaping as Docker does, and a line over 16 KiB split into a partial entry', { skip }, async (t) => {
  const f = new Fixture();
  t.after(async () => { assert.deepEqual(await f.cleanup(), []); });
  const script = 'printf "tab\\there <a&b> \\"q\\" back\\\\\\\\ \\033[1m é\\n"; printf "\\377\\n"; head -c 20000 /dev/zero | tr "\\0" y; echo';
  const task = await f.create('l1', { args: ['sh', '-c', script] });
  assert.equal((await task.wait()).exitCode, 0);
  const raw = readFileSync(f.logPath('l1'), 'utf8');
  assert.ok(raw.includes('"log":"tab\\u0009here \\u003ca\\u0026b\\u003e \\"q\\" back\\\\ \\u001b[1m é\\n"'), raw.slice(0, 300));
  assert.ok(raw.includes('"log":"\\ufffd\\n"'));
  const e = entries(f.logPath('l1'));
  assert.equal(e[2]!.log.length, 16384, 'a partial line is flushed at 16 KiB without a newline');
  assert.equal(e[3]!.log, `${'y'.repeat(20000 - 16384)}\n`);
});

test('rotation: max-size and max-file keep <log>, <log>.1, <log>.2', { skip }, async (t) => {
  const f = new Fixture();
  t.after(async () => { assert.deepEqual(await f.cleanup(), []); });
  const gen = 'BEGIN { for (i = 0; i < 300; i++) printf "line %04d ................................................\\n", i }';
  const task = await f.create('l2', { args: ['awk', gen], logOpts: { maxSize: 4096, maxFile: 3 } });
  assert.equal((await task.wait()).exitCode, 0);
  const log = f.logPath('l2');
  for (const p of [log, `${log}.1`, `${log}.2`]) {
    assert.ok(existsSync(p), p);
    assert.ok(statSync(p).size < 4096 + 200, `${p} is ${statSync(p).size} bytes`);
  }
  assert.ok(!existsSync(`${log}.3`));
  // the newest lines are in <log>, in order, continuing <log>.1
  const cur = entries(log).map((e) => e.log), prev = entries(`${log}.1`).map((e) => e.log);
  assert.equal(cur.at(-1), 'line 0299 ................................................\n');
  const n = (s: string) => Number(s.slice(5, 9));
  assert.equal(n(cur[0]!), n(prev.at(-1)!) + 1);
});

test('rotation with max-file 1 truncates in place', { skip }, async (t) => {
  const f = new Fixture();
  t.after(async () => { assert.deepEqual(await f.cleanup(), []); });
  const task = await f.create('l3', { args: ['awk', 'BEGIN { for (i = 0; i < 200; i++) print "0123456789012345678901234567890123456789" }'], logOpts: { maxSize: 2048, maxFile: 1 } });
  await task.wait();
  assert.ok(statSync(f.logPath('l3')).size < 2048 + 200);
  assert.ok(!existsSync(`${f.logPath('l3')}.1`));
});
