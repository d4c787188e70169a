import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reference } from '../../registry/reference/index.js';
import { fromWire, decodeRegistryAuth } from './auth-header.js';
import { applyChanges } from './changes.js';
import { toHistory, toInspect, toSummary } from './convert.js';
import { isSingleReference } from './remove.js';
import type { ImageView } from './types.js';

const view: ImageView = {
  id: 'sha256:' + 'a'.repeat(64),
  manifest: { schemaVersion: 2, config: { mediaType: 'c', digest: 'sha256:' + 'a'.repeat(64), size: 1 }, layers: [] },
  manifestDesc: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: 'sha256:' + 'b'.repeat(64), size: 10 },
  config: {
    architecture: 'amd64', os: 'linux', created: '2024-01-01T00:00:00Z', config: { Cmd: ['sh'], Labels: { a: 'b' } },
    rootfs: { type: 'layers', diff_ids: ['sha256:' + '1'.repeat(64), 'sha256:' + '2'.repeat(64)] },
    history: [{ created: '2024-01-01T00:00:00Z', created_by: 'ADD x' }, { created_by: 'ENV a=b', empty_layer: true }, { created_by: 'RUN y' }],
  },
  size: 30, layerSizes: [10, 20], created: 1704067200, repoTags: ['x:1'], repoDigests: ['x@sha256:' + 'b'.repeat(64)],
  records: [], lastTagTime: '',
};

test('summary fields by API version', () => {
  const s = toSummary(view, '1.51');
  assert.deepEqual(Object.keys(s), ['Id', 'ParentId', 'RepoTags', 'RepoDigests', 'Created', 'Size', 'SharedSize', 'Labels', 'Containers', 'Descriptor']);
  assert.equal(s.Containers, -1);
  assert.equal(s.SharedSize, -1);
  assert.equal(toSummary(view, '1.43').VirtualSize, 30);
  assert.equal(toSummary(view, '1.47').Descriptor, undefined);
});

test('inspect shape', () => {
  const i = toInspect(view, '1.51', { Name: 'overlay2', Data: null });
  assert.equal(i.Id, view.id);
  assert.deepEqual(i.RootFS, { Type: 'layers', Layers: view.config.rootfs.diff_ids });
  assert.deepEqual(i.Metadata, { LastTagTime: '0001-01-01T00:00:00Z' });
  assert.deepEqual(i.Config, { Cmd: ['sh'], Labels: { a: 'b' } });
  assert.equal(i.Comment, '');
  assert.equal(i.Parent, '');
  assert.equal(toInspect(view, '1.56', { Name: 'overlay2', Data: null }).Parent, undefined);
});

test('history: newest first, sizes on non-empty layers, <missing> below the top', () => {
  const h = toHistory(view, view.layerSizes);
  assert.deepEqual(h.map((x) => [x.Id, x.CreatedBy, x.Size, x.Tags]), [
    [view.id, 'RUN y', 20, ['x:1']], ['<missing>', 'ENV a=b', 0, null], ['<missing>', 'ADD x', 10, null],
  ]);
});

test('isSingleReference as moby', () => {
  const t = (n: string, tag?: string, d?: string) => new Reference('docker.io', n, tag, d);
  const dg = 'sha256:' + 'c'.repeat(64);
  assert.equal(isSingleReference([t('a', 'x')]), true);
  assert.equal(isSingleReference([t('a', 'x'), t('a', undefined, dg)]), true);
  assert.equal(isSingleReference([t('a', 'x'), t('a', 'y')]), false);
  assert.equal(isSingleReference([t('a', 'x'), t('b', undefined, dg)]), false);
  assert.equal(isSingleReference([]), false);
});

test('changes and auth header', () => {
  const c = applyChanges({ Env: ['A=0'] }, ['ENV A=1', 'ENV B 2 3', 'CMD echo hi', 'ENTRYPOINT ["/x"]', 'VOLUME /data', 'USER u', 'LABEL "k k"=v']);
  assert.deepEqual(c, { Env: ['A=1', 'B=2 3'], Cmd: ['/bin/sh', '-c', 'echo hi'], Entrypoint: ['/x'], Volumes: { '/data': {} }, User: 'u', Labels: { 'k k': 'v' } });
  assert.throws(() => applyChanges({}, ['FROM x']), /FROM is not a valid change command/);
  const header = Buffer.from(JSON.stringify({ username: 'u', password: 'p', serveraddress: 'r:5000' })).toString('base64url');
  assert.deepEqual(decodeRegistryAuth(header), { username: 'u', password: 'p', serverAddress: 'r:5000' });
  assert.equal(decodeRegistryAuth(''), undefined);
  assert.throws(() => decodeRegistryAuth('!!!'));
  assert.deepEqual(fromWire({ auth: Buffer.from('a:b').toString('base64') }), { username: 'a', password: 'b' });
});
