/** The event bus: ring buffer bounds, since/until, live delivery, filters, slow subscribers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus, nowNano } from './bus.js';
import { eventFilter } from './filter.js';

const f = (o: Record<string, string[]>) => eventFilter(new Map(Object.entries(o).map(([k, v]) => [k, new Set(v)])));

test('buffered events only with since/until, in range, oldest first, bounded', () => {
  const bus = new EventBus({ capacity: 4 });
  const t0 = nowNano();
  for (let i = 0; i < 6; i++) bus.log('container', 'start', { ID: `c${i}` });
  assert.deepEqual(bus.subscribe({}).buffered, []);
  const all = bus.subscribe({ since: t0, until: nowNano() });
  assert.deepEqual(all.buffered.map((e) => e.Actor.ID), ['c2', 'c3', 'c4', 'c5']);
  const mid = all.buffered[1]!.timeNano;
  assert.deepEqual(bus.subscribe({ since: mid, until: nowNano() }).buffered.map((e) => e.Actor.ID), ['c3', 'c4', 'c5']);
  assert.deepEqual(bus.subscribe({ since: t0, until: mid }).buffered.map((e) => e.Actor.ID), ['c2', 'c3']);
  assert.equal(bus.subscribers(), 1); // only the one without until is live
});

test('live events reach subscribers; close ends iteration', async () => {
  const bus = new EventBus();
  const sub = bus.subscribe({ filter: f({ type: ['network'] }) });
  const seen: string[] = [];
  const loop = (async () => { for await (const ev of sub) seen.push(ev.Actor.ID); })();
  bus.log('container', 'create', { ID: 'c' });
  bus.log('network', 'create', { ID: 'n1' });
  await new Promise((r) => setTimeout(r, 5));
  sub.close();
  await loop;
  assert.deepEqual(seen, ['n1']);
  assert.equal(bus.subscribers(), 0);
});

test('until in the future ends the subscription then', async () => {
  const bus = new EventBus();
  const sub = bus.subscribe({ until: nowNano() + 50_000_000n });
  setTimeout(() => bus.log('volume', 'create', { ID: 'v' }), 5);
  const seen: string[] = [];
  for await (const ev of sub) seen.push(ev.Actor.ID);
  assert.deepEqual(seen, ['v']);
});

test('a subscriber that falls behind is cut off', async () => {
  const bus = new EventBus({ queueLimit: 2 });
  const sub = bus.subscribe({});
  for (let i = 0; i < 5; i++) bus.log('image', 'pull', { ID: `i${i}` });
  assert.equal(bus.subscribers(), 0);
  const seen: string[] = [];
  for await (const ev of sub) seen.push(ev.Actor.ID);
  assert.deepEqual(seen, ['i0', 'i1']);
});

test('filters as moby: names by prefix, image without tag, labels, fuzzy exec events', () => {
  const bus = new EventBus();
  const c = bus.log('container', 'exec_start: sh', { ID: 'abcdef', Attributes: { name: 'web', image: 'docker.io/library/busybox:latest', app: 'x' } });
  assert.equal(f({ container: ['abc'] })!(c), true);
  assert.equal(f({ container: ['web'] })!(c), true);
  assert.equal(f({ container: ['zzz'] })!(c), false);
  assert.equal(f({ image: ['busybox'] })!(c), true);
  assert.equal(f({ label: ['app=x'] })!(c), true);
  assert.equal(f({ label: ['app=y'] })!(c), false);
  assert.equal(f({ event: ['exec_start'] })!(c), true);
  assert.equal(f({ event: ['start'] })!(c), false);
  assert.equal(f({ type: ['image'] })!(c), false);
  assert.equal(eventFilter(new Map()), undefined);
});
