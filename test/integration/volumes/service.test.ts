/**
 * The volumes service on a real data-root, as root: create/inspect/list/remove, refusal of bad
 * input with nothing made, in-use refusal, prune, anonymous volume release, sizes, and data and
 * references surviving a re-open (a daemon restart).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VolumesService, ANONYMOUS_LABEL } from '../../../src/services/volumes/index.js';
import { FakeUsage, isRoot, tempDir, volumesDirEntries } from './helpers.js';

const opts = { skip: isRoot ? false : 'needs root' };
const f = (entries: Record<string, string[]>) => new Map(Object.entries(entries).map(([k, v]) => [k, new Set(v)]));

test('create, inspect, list, remove', opts, async (t) => {
  const root = tempDir(t);
  const svc = await VolumesService.open({ dataRoot: root });
  const v = await svc.create({ Name: 'data1', Labels: { app: 'web', tier: '' } });
  assert.equal(v.Name, 'data1');
  assert.equal(v.Driver, 'local');
  assert.equal(v.Scope, 'local');
  assert.equal(v.Mountpoint, join(root, 'volumes', 'data1', '_data'));
  assert.deepEqual(v.Labels, { app: 'web', tier: '' });
  assert.equal(v.Options, null);
  assert.match(v.CreatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
  assert.ok(existsSync(v.Mountpoint));
  assert.deepEqual(svc.inspect('data1'), v);
  assert.deepEqual(await svc.create({ Name: 'data1', DriverOpts: { bogus: 'x' } }), v, 'an existing name is returned as is');

  const anon = await svc.create({});
  assert.match(anon.Name, /^[0-9a-f]{64}$/);
  assert.deepEqual(anon.Labels, { [ANONYMOUS_LABEL]: '' });

  const names = (filters = new Map()) => svc.list(filters).Volumes.map((x) => x.Name);
  assert.deepEqual(names(), [anon.Name, 'data1'].sort());
  assert.deepEqual(names(f({ name: ['data'] })), ['data1']);
  assert.deepEqual(names(f({ label: ['app=web'] })), ['data1']);
  assert.deepEqual(names(f({ label: ['app=db'] })), []);
  assert.deepEqual(names(f({ label: [ANONYMOUS_LABEL] })), [anon.Name]);
  assert.deepEqual(names(f({ driver: ['local'] })).length, 2);
  assert.deepEqual(names(f({ driver: ['other'] })), []);
  assert.deepEqual(svc.list().Warnings, []);
  assert.throws(() => svc.list(f({ colour: ['red'] })), { message: "invalid filter 'colour'" });

  await svc.remove('data1');
  assert.throws(() => svc.inspect('data1'), (e: Error & { kind?: string }) => e.kind === 'not-found' && e.message === 'get data1: no such volume');
  await assert.rejects(svc.remove('data1'), { message: 'get data1: no such volume' });
  await svc.remove('data1', { force: true });
  assert.deepEqual(volumesDirEntries(root), [anon.Name]);
});

test('bad input is refused before anything is created', opts, async (t) => {
  const root = tempDir(t);
  const svc = await VolumesService.open({ dataRoot: root });
  const before = volumesDirEntries(root);
  const refuse = async (req: object, kind: string, message: string) =>
    assert.rejects(svc.create(req), (e: Error & { kind?: string }) => {
      assert.equal(e.message, message);
      assert.equal(e.kind, kind);
      return true;
    });
  await refuse({ Name: 'x/y' }, 'invalid-argument',
    'create x/y: "x/y" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path');
  await refuse({ Name: 'a' }, 'invalid-argument', 'create a: volume name is too short, names should be at least two alphanumeric characters');
  await refuse({ Name: 'v1', DriverOpts: { x: '1' } }, 'invalid-argument', 'create v1: invalid option: "x"');
  await refuse({ Name: 'v1', DriverOpts: { type: 'tmpfs' } }, 'invalid-argument', 'create v1: missing required option: "device"');
  await refuse({ Name: 'v1', DriverOpts: { type: 'none', o: 'bind', device: join(root, 'nope') } }, 'invalid-argument',
    `create v1: bind device does not exist: ${join(root, 'nope')}`);
  await refuse({ Name: 'v1', Driver: 'foo' }, 'not-found', 'create v1: error looking up volume plugin foo: plugin "foo" not found');
  assert.deepEqual(volumesDirEntries(root), before);
  assert.deepEqual(svc.list().Volumes, []);
});

test('in-use volumes are not removed', opts, async (t) => {
  const root = tempDir(t);
  const usage = new FakeUsage();
  const svc = await VolumesService.open({ dataRoot: root, usage });
  await svc.create({ Name: 'busy' });
  usage.users.set('busy', ['c0ffee', 'beef']);
  await assert.rejects(svc.remove('busy'), (e: Error & { kind?: string }) =>
    e.kind === 'conflict' && e.message === 'remove busy: volume is in use - [c0ffee, beef]');
  await assert.rejects(svc.remove('busy', { force: true }), { message: 'remove busy: volume is in use - [c0ffee, beef]' });
  assert.deepEqual(svc.list(f({ dangling: ['true'] })).Volumes, []);
  assert.deepEqual(svc.list(f({ dangling: ['false'] })).Volumes.map((v) => v.Name), ['busy']);
  usage.users.delete('busy');
  await svc.remove('busy');
});

test('prune: anonymous by default, all on request, labels, in use kept', opts, async (t) => {
  const root = tempDir(t);
  const usage = new FakeUsage();
  const svc = await VolumesService.open({ dataRoot: root, usage });
  const a1 = await svc.create({ Labels: { keep: 'no' } });
  const a2 = await svc.create({});
  await svc.create({ Name: 'named1' });
  await svc.create({ Name: 'named2', Labels: { keep: 'yes' } });
  await svc.create({ Name: 'withopts', DriverOpts: { type: 'tmpfs', device: 'tmpfs' } });
  writeFileSync(join(a1.Mountpoint, 'f'), Buffer.alloc(1000));
  usage.users.set(a2.Name, ['c1']);

  const r1 = await svc.prune();
  assert.deepEqual(r1, { VolumesDeleted: [a1.Name], SpaceReclaimed: 1000 });
  const r2 = await svc.prune(f({ all: ['true'], 'label!': ['keep=yes'] }));
  assert.deepEqual(r2.VolumesDeleted, ['named1']);
  const r3 = await svc.prune(f({ all: ['1'], label: ['keep'] }));
  assert.deepEqual(r3.VolumesDeleted, ['named2']);
  assert.deepEqual(svc.list().Volumes.map((v) => v.Name).sort(), [a2.Name, 'withopts'].sort());
  await assert.rejects(svc.prune(f({ all: ['maybe'] })), { message: `invalid filter 'all': strconv.ParseBool: parsing "maybe": invalid syntax` });
  await assert.rejects(svc.prune(f({ dangling: ['true'] })), { message: "invalid filter 'dangling'" });
});

test('releaseAnonymous removes the container’s anonymous volumes only', opts, async (t) => {
  const root = tempDir(t);
  const usage = new FakeUsage();
  const svc = await VolumesService.open({ dataRoot: root, usage });
  const mine = await svc.create({}, 'c1');
  const shared = await svc.create({}, 'c1');
  const other = await svc.create({}, 'c2');
  await svc.create({ Name: 'named' }, 'c1');
  usage.users.set(mine.Name, ['c1']);
  usage.users.set(shared.Name, ['c1', 'c3']);
  assert.deepEqual(await svc.releaseAnonymous('c1'), [mine.Name]);
  assert.deepEqual(svc.list().Volumes.map((v) => v.Name).sort(), [shared.Name, other.Name, 'named'].sort());
});

test('usage reports sizes like du, hardlinks once', opts, async (t) => {
  const root = tempDir(t);
  const usage = new FakeUsage();
  const svc = await VolumesService.open({ dataRoot: root, usage });
  const v = await svc.create({ Name: 'sized' });
  await svc.create({ Name: 'empty' });
  mkdirSync(join(v.Mountpoint, 'd'));
  writeFileSync(join(v.Mountpoint, 'd', 'a'), Buffer.alloc(1234));
  writeFileSync(join(v.Mountpoint, 'b'), Buffer.alloc(4321));
  linkSync(join(v.Mountpoint, 'b'), join(v.Mountpoint, 'b2'));
  symlinkSync('d/a', join(v.Mountpoint, 'link'));
  usage.users.set('sized', ['c1', 'c2']);
  const out = await svc.usage();
  assert.deepEqual(out.map((x) => [x.Name, x.UsageData]), [
    ['empty', { Size: 0, RefCount: 0 }],
    ['sized', { Size: 1234 + 4321 + 3, RefCount: 2 }],
  ]);
});

test('volumes and their data survive re-opening the service', opts, async (t) => {
  const root = tempDir(t);
  const first = await VolumesService.open({ dataRoot: root });
  const v = await first.create({ Name: 'persist', Labels: { a: 'b' } });
  const anon = await first.create({}, 'c9');
  writeFileSync(join(v.Mountpoint, 'hello'), 'world');
  const again = await VolumesService.open({ dataRoot: root });
  assert.deepEqual(again.inspect('persist'), v);
  assert.deepEqual(again.inspect(anon.Name), anon);
  assert.ok(existsSync(join(again.inspect('persist').Mountpoint, 'hello')));
  assert.deepEqual(await again.releaseAnonymous('c9'), [anon.Name], 'the owner is remembered');
});
