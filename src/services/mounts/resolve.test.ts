/** Create-time resolution against an in-memory volume creator: precedence, duplicates, rollback. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineError } from '../../common/errors.js';
import type { CreateVolumeRequest, Volume } from '../volumes/types.js';
import { resolveMounts, type VolumeCreator } from './resolve.js';
import type { MountPoint } from './types.js';

class FakeVolumes implements VolumeCreator {
  vols = new Map<string, Volume>();
  n = 0;
  failOn?: string;
  async ensure(req: CreateVolumeRequest): Promise<{ volume: Volume; created: boolean }> {
    const name = req.Name ?? `anon${++this.n}`;
    if (name === this.failOn) throw new EngineError('invalid-argument', `create ${name}: boom`);
    const have = this.vols.get(name);
    if (have) return { volume: have, created: false };
    const v: Volume = { Name: name, Driver: req.Driver ?? 'local', Mountpoint: `/vols/${name}/_data`, CreatedAt: '', Labels: null, Scope: 'local', Options: null };
    this.vols.set(name, v);
    return { volume: v, created: true };
  }
  inspect(name: string): Volume {
    const v = this.vols.get(name);
    if (!v) throw new EngineError('not-found', `get ${name}: no such volume`);
    return v;
  }
  async remove(name: string): Promise<void> {
    this.vols.delete(name);
  }
}

test('binds, mounts, tmpfs and image volumes', async () => {
  const volumes = new FakeVolumes();
  const points = await resolveMounts({
    containerId: 'c1',
    hostConfig: {
      Binds: ['/host:/h:ro', 'named:/n', '/anon'],
      Mounts: [{ Type: 'volume', Source: 'm1', Target: '/m', VolumeOptions: { Labels: { a: 'b' } } }],
      Tmpfs: { '/run': 'rw,noexec,size=65536k' },
    },
    imageVolumes: { '/n': {}, '/img': {} },
  }, { volumes });
  const by = Object.fromEntries(points.map((p) => [p.Destination, p]));
  assert.deepEqual(Object.keys(by).sort(), ['/anon', '/h', '/img', '/m', '/n', '/run']);
  assert.equal(by['/h']!.Source, '/host');
  assert.equal(by['/n']!.Name, 'named');
  assert.equal(by['/n']!.Mode, 'z');
  assert.equal(by['/n']!.Anonymous, false);
  assert.equal(by['/anon']!.Anonymous, true);
  assert.equal(by['/anon']!.Mode, 'z');
  assert.equal(by['/img']!.Anonymous, true);
  assert.equal(by['/img']!.Mode, '');
  assert.equal(by['/img']!.Source, `/vols/${by['/img']!.Name}/_data`);
  assert.equal(by['/run']!.FromTmpfsMap, true);
  assert.equal(volumes.vols.size, 4);
});

test('duplicate destinations', async () => {
  const volumes = new FakeVolumes();
  const dup = async (hostConfig: object, dest: string) =>
    assert.rejects(resolveMounts({ containerId: 'c', hostConfig }, { volumes }), { message: `Duplicate mount point: ${dest}` });
  await dup({ Binds: ['/a:/x', '/b:/x/'] }, '/x');
  await dup({ Binds: ['/a:/x'], Tmpfs: { '/x': '' } }, '/x');
  await dup({ Binds: ['/a:/x'], Mounts: [{ Type: 'volume', Target: '/x/' }] }, '/x/');
  assert.equal(volumes.vols.size, 0, 'nothing created when the plan is refused');
});

test('a failure part-way removes the volumes this call created', async () => {
  const volumes = new FakeVolumes();
  await volumes.ensure({ Name: 'keep' });
  volumes.failOn = 'bad';
  await assert.rejects(resolveMounts({ containerId: 'c', hostConfig: { Binds: ['keep:/k', 'fresh:/f', '/anon', 'bad:/b'] } }, { volumes }),
    { message: 'create bad: boom' });
  assert.deepEqual([...volumes.vols.keys()], ['keep']);
});

test('volumes-from copies mount points with the mode applied', async () => {
  const volumes = new FakeVolumes();
  await volumes.ensure({ Name: 'shared' });
  const theirs: MountPoint[] = [
    { Type: 'volume', Source: '/vols/shared/_data', Destination: '/s', RW: true, Name: 'shared', Driver: 'local', Mode: 'z', Propagation: '', CopyData: true, Spec: { Type: 'volume' } },
    { Type: 'bind', Source: '/h', Destination: '/b', RW: true, Name: '', Driver: '', Mode: '', Propagation: 'rprivate', CopyData: false, Spec: { Type: 'bind' } },
    { Type: 'tmpfs', Source: '', Destination: '/t', RW: true, Name: '', Driver: '', Mode: '', Propagation: '', CopyData: false, Spec: { Type: 'tmpfs' }, FromTmpfsMap: true },
  ];
  const containers = { mountPointsOf: (id: string) => (id === 'data' ? theirs : undefined) };
  const points = await resolveMounts({ containerId: 'c', hostConfig: { VolumesFrom: ['data:ro'], Binds: ['/over:/b'] } }, { volumes, containers });
  assert.deepEqual(points.map((p) => [p.Destination, p.Source, p.RW, p.CopyData]), [['/b', '/over', true, false], ['/s', '/vols/shared/_data', false, false]]);
  await assert.rejects(resolveMounts({ containerId: 'c', hostConfig: { VolumesFrom: ['nope'] } }, { volumes, containers }),
    { message: 'No such container: nope' });
});

test('anonymous volumes are reused from an earlier resolve', async () => {
  const volumes = new FakeVolumes();
  const first = await resolveMounts({ containerId: 'c', hostConfig: {}, imageVolumes: { '/data': {} } }, { volumes });
  const again = await resolveMounts({ containerId: 'c', hostConfig: {}, imageVolumes: { '/data': {} }, previous: first }, { volumes });
  assert.equal(again[0]!.Name, first[0]!.Name);
  assert.equal(volumes.vols.size, 1);
});

test('tmpfs entries are validated', async () => {
  const volumes = new FakeVolumes();
  await assert.rejects(resolveMounts({ containerId: 'c', hostConfig: { Tmpfs: { rel: '' } } }, { volumes }),
    { message: "invalid mount path: 'rel' mount path must be absolute" });
  await assert.rejects(resolveMounts({ containerId: 'c', hostConfig: { Tmpfs: { '/t': 'bogus' } } }, { volumes }),
    { message: 'invalid tmpfs option "bogus"' });
});
