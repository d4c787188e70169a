/** Many tasks at once, and what one shim costs in memory. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Fixture } from './fixture.js';

const skip = process.getuid?.() !== 0 ? 'task integration tests need root' : false;

function rssKiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
}

test('20 containers at once; each shim stays within 2 MiB RSS', { skip }, async (t) => {
  const f = new Fixture();
  t.after(async () => { assert.deepEqual(await f.cleanup(), []); });
  const ids = Array.from({ length: 20 }, (_, i) => `s${i}`);
  const tasks = await Promise.all(ids.map((id) => f.create(id, {
    args: ['sh', '-c', `echo hello-${id}; i=0; while [ $i -lt 200 ]; do echo "$i ${id} some output to log"; i=$((i+1)); done; read x; exit 3`],
    stdin: true,
  })));
  const streams = await Promise.all(tasks.map((t) => t.attach({ stdin: true, stdout: true, stderr: true })));
  for (const s of streams) s.stdout!.resume();
  const rss = tasks.map((t) => rssKiB(t.shimPid));
  t.diagnostic(`shim RSS (KiB): max ${Math.max(...rss)}, min ${Math.min(...rss)}`);
  for (const r of rss) assert.ok(r <= 2048, `shim RSS ${r} KiB`);
  for (const s of streams) s.closeStdin();
  const exits = await Promise.all(tasks.map((t) => t.wait()));
  assert.deepEqual(exits.map((e) => e.exitCode), ids.map(() => 3));
  for (const id of ids) assert.match(readFileSync(f.logPath(id), 'utf8'), new RegExp(`"log":"hello-${id}\\\\n"`));
  for (const t of tasks) assert.ok(rssKiB(t.shimPid) <= 2048);
});
