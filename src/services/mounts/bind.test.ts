/** `-v` / Binds parsing against moby's Linux parser cases, with Docker's exact messages. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBind, parseVolumesFrom, validMode } from './bind.js';

const VALID = [
  '/home', '/home:/home', '/home:/something/else', '/with space', '/home:/with space',
  'relative:/absolute-path', 'hostPath:/containerPath:ro', '/hostPath:/containerPath:rw', '/rw:/ro',
  '/hostPath:/containerPath:shared', '/hostPath:/containerPath:rshared', '/hostPath:/containerPath:slave',
  '/hostPath:/containerPath:rslave', '/hostPath:/containerPath:private', '/hostPath:/containerPath:rprivate',
  '/hostPath:/containerPath:ro,shared', '/hostPath:/containerPath:ro,slave', '/hostPath:/containerPath:ro,private',
  '/hostPath:/containerPath:ro,z,shared', '/hostPath:/containerPath:ro,Z,slave', '/hostPath:/containerPath:Z,ro,slave',
  '/hostPath:/containerPath:slave,Z,ro', '/hostPath:/containerPath:Z,slave,ro', '/hostPath:/containerPath:slave,ro,Z',
  '/hostPath:/containerPath:rslave,ro,Z', '/hostPath:/containerPath:ro,rshared,Z', '/hostPath:/containerPath:ro,Z,rprivate',
  'name:/data:nocopy', 'name:/data:ro,nocopy,cached', '/h:/c:delegated',
];

const INVALID: Record<string, string> = {
  '': 'invalid volume specification',
  './': 'mount path must be absolute',
  '../': 'mount path must be absolute',
  '/:../': 'mount path must be absolute',
  '/:path': 'mount path must be absolute',
  ':': 'invalid volume specification',
  '/tmp:': 'invalid volume specification',
  ':test': 'invalid volume specification',
  ':/test': 'invalid volume specification',
  'tmp:': 'invalid volume specification',
  ':test:': 'invalid volume specification',
  '::': 'invalid volume specification',
  ':::': 'invalid volume specification',
  '/tmp:::': 'invalid volume specification',
  ':/tmp::': 'invalid volume specification',
  '/path:rw': 'invalid volume specification',
  '/path:ro': 'invalid volume specification',
  '/rw:rw': 'invalid volume specification',
  'path:ro': 'invalid volume specification',
  '/path:/path:sw': 'invalid mode',
  '/path:/path:rwz': 'invalid mode',
  '/path:/path:ro,rshared,rslave': 'invalid mode',
  '/path:/path:ro,z,rshared,rslave': 'invalid mode',
  '/path:shared': 'invalid volume specification',
  '/path:slave': 'invalid volume specification',
  '/path:private': 'invalid volume specification',
  'name:/absolute-path:shared': 'invalid volume specification',
  'name:/absolute-path:rshared': 'invalid volume specification',
  'name:/absolute-path:slave': 'invalid volume specification',
  'name:/absolute-path:rslave': 'invalid volume specification',
  'name:/absolute-path:private': 'invalid volume specification',
  'name:/absolute-path:rprivate': 'invalid volume specification',
  '/a:/': "destination can't be '/'",
  '/a:/b:ro,ro': 'invalid mode: ro,ro',
  '/a:/b:nocopy': 'field VolumeOptions must not be specified',
};

test('valid bind specs parse', () => {
  for (const raw of VALID) assert.doesNotThrow(() => parseBind(raw, 'local'), raw);
});

test('invalid bind specs are refused with Docker wording', () => {
  for (const [raw, want] of Object.entries(INVALID)) {
    assert.throws(() => parseBind(raw, 'local'), (e: Error & { kind?: string }) => {
      assert.ok(e.message.includes(want), `${raw}: ${e.message} lacks ${want}`);
      assert.equal(e.kind, 'invalid-argument');
      return true;
    });
  }
});

test('exact messages', () => {
  assert.throws(() => parseBind('/tmp:/tmp4:foo'), { message: 'invalid mode: foo' });
  assert.throws(() => parseBind('/tmp:tmp'), {
    message: `invalid volume specification: '/tmp:tmp': invalid mount config for type "bind": invalid mount path: 'tmp' mount path must be absolute`,
  });
  assert.throws(() => parseBind('name:/x:shared'), {
    message: `invalid volume specification: 'name:/x:shared': invalid mount config for type "volume": field BindOptions must not be specified`,
  });
  assert.throws(() => parseBind('/a:/b:c:d'), { message: "invalid volume specification: '/a:/b:c:d'" });
});

test('bind mount points', () => {
  assert.deepEqual(parseBind('/tmp:/tmp2:ro'), {
    Type: 'bind', Source: '/tmp', Destination: '/tmp2', RW: false, Name: '', Driver: '', Mode: 'ro',
    Propagation: 'rprivate', CopyData: false, Spec: { Target: '/tmp2', Source: '/tmp', Type: 'bind', ReadOnly: true },
  });
  const shared = parseBind('/h//x/:/c/:rshared,Z');
  assert.equal(shared.Source, '/h/x');
  assert.equal(shared.Destination, '/c');
  assert.equal(shared.Propagation, 'rshared');
  assert.equal(shared.RW, true);
});

test('volume mount points', () => {
  const v = parseBind('name:/named3:ro', 'local');
  assert.equal(v.Type, 'volume');
  assert.equal(v.Name, 'name');
  assert.equal(v.Driver, 'local');
  assert.equal(v.RW, false);
  assert.equal(v.Mode, 'ro');
  assert.equal(v.Propagation, '');
  assert.equal(v.CopyData, true);
  assert.equal(parseBind('name:/d:nocopy').CopyData, false);
  const anon = parseBind('/anon');
  assert.equal(anon.Type, 'volume');
  assert.equal(anon.Name, '');
  assert.equal(anon.Destination, '/anon');
  assert.equal(parseBind('local/name:/tmp:rw').Name, 'local/name');
});

test('mode validation counts one word per kind', () => {
  assert.ok(validMode(''));
  assert.ok(validMode('ro,z,rslave,nocopy,cached'));
  assert.ok(!validMode('ro,rw'));
  assert.ok(!validMode('z,Z'));
  assert.ok(!validMode('cached,delegated'));
  assert.ok(!validMode('ro,'));
});

test('volumes-from specs', () => {
  assert.deepEqual(parseVolumesFrom('web'), { container: 'web', mode: 'rw' });
  assert.deepEqual(parseVolumesFrom('web:ro'), { container: 'web', mode: 'ro' });
  assert.deepEqual(parseVolumesFrom('web:ro,z'), { container: 'web', mode: 'ro,z' });
  assert.throws(() => parseVolumesFrom(''), { message: 'volumes-from specification cannot be an empty string' });
  assert.throws(() => parseVolumesFrom('web:xyz'), { message: 'invalid mode: xyz' });
  assert.throws(() => parseVolumesFrom('web:rshared'), { message: 'invalid mode: rshared' });
  assert.throws(() => parseVolumesFrom('web:nocopy'), { message: 'invalid mode: nocopy' });
});
