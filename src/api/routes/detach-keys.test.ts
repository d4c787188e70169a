/** The detach-key scanner: held partial sequences, across chunk boundaries. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DetachScanner, parseDetachKeys } from './detach-keys.js';

const P = '\x10';
const Q = '\x11';

function run(keys: string | undefined, chunks: string[]): { out: string; detached: boolean; rest: string } {
  const s = new DetachScanner(parseDetachKeys(keys));
  let out = '';
  for (const c of chunks) {
    const r = s.feed(Buffer.from(c, 'latin1'));
    out += r.data.toString('latin1');
    if (r.detach) return { out, detached: true, rest: '' };
  }
  return { out, detached: false, rest: s.flush().toString('latin1') };
}

test('detach key notation', () => {
  assert.deepEqual([...parseDetachKeys(undefined)], [0x10, 0x11]);
  assert.deepEqual([...parseDetachKeys('ctrl-a,x,ctrl-@')], [0x01, 0x78, 0x00]);
  assert.throws(() => parseDetachKeys('ctrl-1'), { message: 'Invalid detach keys (ctrl-1) provided' });
});

test('a lone ctrl-p is held until the next chunk decides', () => {
  assert.deepEqual(run(undefined, ['ab' + P]), { out: 'ab', detached: false, rest: P });
  assert.deepEqual(run(undefined, [P, 'x']), { out: P + 'x', detached: false, rest: '' });
  assert.deepEqual(run(undefined, [P, Q]), { out: '', detached: true, rest: '' });
  assert.deepEqual(run(undefined, ['ab' + P, Q + 'zz']), { out: 'ab', detached: true, rest: '' });
  assert.deepEqual(run(undefined, [P, P, Q]), { out: P, detached: true, rest: '' });
  assert.deepEqual(run(undefined, ['x' + P + Q + 'y']), { out: 'x', detached: true, rest: '' });
});

test('longer sequences held over several chunks', () => {
  assert.deepEqual(run('a,b,c', ['xa', 'b', 'c']), { out: 'x', detached: true, rest: '' });
  assert.deepEqual(run('a,b,c', ['xa', 'b', 'd']), { out: 'xabd', detached: false, rest: '' });
  assert.deepEqual(run('a,b,c', ['ab', 'ab', 'c']), { out: 'ab', detached: true, rest: '' });
  assert.deepEqual(run('a,b,c', ['xab']), { out: 'x', detached: false, rest: 'ab' });
});
