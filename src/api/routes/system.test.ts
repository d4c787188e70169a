/** The pure parts of the system routes: timestamps and event encoding with legacy fields. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventMessage } from '../../services/events/index.js';
import { encodeEvent, parseUnixTimestamp } from './system.js';

test('unix timestamps as moby parses them', () => {
  assert.equal(parseUnixTimestamp('', 'since'), undefined);
  assert.equal(parseUnixTimestamp('12', 'since'), 12_000_000_000n);
  assert.equal(parseUnixTimestamp('12.5', 'since'), 12_500_000_000n);
  assert.equal(parseUnixTimestamp('12.000000001', 'since'), 12_000_000_001n);
  assert.throws(() => parseUnixTimestamp('x', 'until'), { message: `invalid value for 'until': invalid timestamp "x": invalid seconds "x": invalid syntax` });
});

test('events: legacy fields below 1.52, exact timeNano', () => {
  const ev: EventMessage = {
    Type: 'container', Action: 'start', Actor: { ID: 'c1', Attributes: { image: 'busybox', name: 'n' } },
    scope: 'local', time: 1700000000, timeNano: 1700000000123456789n,
  };
  const legacy = encodeEvent(ev, true);
  assert.ok(legacy.endsWith(',"timeNano":1700000000123456789}\n'));
  const o = JSON.parse(legacy);
  assert.equal(o.status, 'start');
  assert.equal(o.id, 'c1');
  assert.equal(o.from, 'busybox');
  const cur = JSON.parse(encodeEvent(ev, false));
  assert.equal(cur.status, undefined);
  assert.equal(cur.Actor.ID, 'c1');
});
