/** `--mount` validation and TmpfsOptions conversion, as moby's Linux parser. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMountSpec, tmpfsData } from './spec.js';

test('bind mounts need an existing absolute source', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-spec-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const mp = parseMountSpec({ Type: 'bind', Source: dir, Target: '/tmp1' });
  assert.equal(mp.Source, dir);
  assert.equal(mp.Propagation, 'rprivate');
  assert.equal(mp.RW, true);
  assert.throws(() => parseMountSpec({ Type: 'bind', Source: '/tmp/definitely-no-such-path', Target: '/d' }), {
    message: 'invalid mount config for type "bind": bind source path does not exist: /tmp/definitely-no-such-path',
  });
  assert.doesNotThrow(() => parseMountSpec({ Type: 'bind', Source: '/no/such', Target: '/d', BindOptions: { CreateMountpoint: true } }));
  assert.throws(() => parseMountSpec({ Type: 'bind', Source: 'rel', Target: '/d' }), {
    message: `invalid mount config for type "bind": invalid mount path: 'rel' mount path must be absolute`,
  });
  assert.throws(() => parseMountSpec({ Type: 'bind', Target: '/d' }), {
    message: 'invalid mount config for type "bind": field Source must not be empty',
  });
  assert.throws(() => parseMountSpec({ Type: 'bind', Source: dir, Target: '/d', BindOptions: { Propagation: 'wrong' } }), {
    message: 'invalid mount config for type "bind": invalid propagation mode: wrong',
  });
});

test('targets and types', () => {
  assert.throws(() => parseMountSpec({ Type: 'invalid', Target: '/data/invalid-type' }), {
    message: 'invalid mount config for type "invalid": mount type unknown',
  });
  assert.throws(() => parseMountSpec({ Type: 'volume' }), { message: 'invalid mount config for type "volume": field Target must not be empty' });
  assert.throws(() => parseMountSpec({ Type: 'volume', Target: '/' }), {
    message: `invalid mount config for type "volume": invalid specification: destination can't be '/'`,
  });
  assert.throws(() => parseMountSpec({ Type: 'volume', Target: 'rel' }), {
    message: `invalid mount config for type "volume": invalid mount path: 'rel' mount path must be absolute`,
  });
  assert.throws(() => parseMountSpec({ Type: 'tmpfs', Target: '/t', BindOptions: {} }), {
    message: 'invalid mount config for type "tmpfs": field BindOptions must not be specified',
  });
  assert.throws(() => parseMountSpec({ Type: 'tmpfs', Target: '/t', Source: 'x' }), {
    message: 'invalid mount config for type "tmpfs": field Source must not be specified',
  });
});

test('volume mounts', () => {
  const ro = parseMountSpec({ Type: 'volume', Target: '/data/ro', ReadOnly: true });
  assert.equal(ro.Name, '');
  assert.equal(ro.RW, false);
  assert.equal(ro.CopyData, true);
  const named = parseMountSpec({ Type: 'volume', Source: 'v1', Target: '/d', VolumeOptions: { NoCopy: true, DriverConfig: { Name: 'local' } } });
  assert.equal(named.Name, 'v1');
  assert.equal(named.Driver, 'local');
  assert.equal(named.CopyData, false);
  assert.throws(() => parseMountSpec({ Type: 'volume', Target: '/d', VolumeOptions: { Subpath: 'a' } }), {
    message: 'invalid mount config for type "volume": must not set Subpath when using anonymous volumes',
  });
  assert.throws(() => parseMountSpec({ Type: 'volume', Source: 'v', Target: '/d', VolumeOptions: { Subpath: '../a' } }), {
    message: 'invalid mount config for type "volume": subpath must be a relative path within the volume',
  });
  assert.equal(parseMountSpec({ Type: 'volume', Source: 'v', Target: '/d', VolumeOptions: { Subpath: 'a/b' } }).Name, 'v');
});

test('tmpfs options become mount data', () => {
  assert.equal(tmpfsData({ SizeBytes: 1024 * 1024, Mode: 0o700 }, false), 'mode=700,size=1m');
  assert.equal(tmpfsData({}, true), 'ro');
  assert.equal(tmpfsData({ Options: [['exec']] }, true), 'ro,exec');
  assert.equal(tmpfsData({ SizeBytes: 3 * 2 ** 30 }, false), 'size=3g');
  assert.equal(tmpfsData({ SizeBytes: 1000 }, false), 'size=1000');
  assert.throws(() => tmpfsData({ Options: [['INVALID']] }, false), { message: 'invalid option: INVALID' });
  assert.throws(() => parseMountSpec({ Type: 'tmpfs', Target: '/t', TmpfsOptions: { Options: [['a', 'b', 'c']] } }), {
    message: 'invalid mount config for type "tmpfs": invalid option array length',
  });
  assert.equal(parseMountSpec({ Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 65536 * 1024 } }).Data, 'size=64m');
});
