import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { spawnLight } from './spawn.js';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = spawnLight(argv[0]!, argv);
  let out = '';
  let err = '';
  c.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
  c.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
  const code = await c.exited;
  return { code, out, err };
}

test('spawnLight: stdout, stderr, exit status, /dev/null stdin', async () => {
  const r = await run(['/bin/sh', '-c', 'echo out; echo err >&2; cat; exit 3']);
  assert.deepEqual(r, { code: 3, out: 'out\n', err: 'err\n' });
});

test('spawnLight: a signal death is 128+n; no signal is ignored or blocked in the child', async () => {
  assert.equal((await run(['/bin/sh', '-c', 'kill -TERM $$'])).code, 143);
  const status = (await run(['/bin/sh', '-c', 'cat /proc/self/status'])).out;
  // Node ignores SIGPIPE; the child must start with default dispositions (bits of the C library's
  // reserved real-time signals aside, which posix_spawn cannot reset).
  const ign = BigInt(`0x${/SigIgn:\s+([0-9a-f]+)/.exec(status)![1]}`);
  assert.equal(ign & ~0x180000000n, 0n);
  assert.match(status, /SigBlk:\s+0+\n/);
});

test('spawnLight: a missing binary throws ENOENT and leaks no descriptor', async () => {
  const before = readdirSync('/proc/self/fd').length;
  assert.throws(() => spawnLight('/nonexistent/skiff', ['x']), /ENOENT/);
  assert.equal(readdirSync('/proc/self/fd').length, before);
});
