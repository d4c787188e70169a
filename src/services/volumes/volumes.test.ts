/** Names, local driver options and filters, without touching the disk. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boolFilter, matchLabelFilters, matchName, validateFilterKeys } from './filters.js';
import { localOptionsProblem, mountCalls, needsMount, redactPassword } from './local-options.js';
import { anonymousName, nameProblem, rfc3339, validateVolumeName } from './names.js';
import { MS_BIND, MS_RDONLY, MS_REC, MS_REMOUNT, MS_PRIVATE, MS_NOEXEC } from '../../runtime/mount-options.js';

test('volume names', () => {
  for (const ok of ['ab', 'my-vol', 'v_1.2', 'A9', '0abc']) assert.equal(nameProblem(ok), undefined, ok);
  assert.equal(nameProblem('a'), 'volume name is too short, names should be at least two alphanumeric characters');
  assert.throws(() => validateVolumeName('a/b'), {
    message: 'create a/b: "a/b" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path',
  });
  for (const bad of ['-ab', '.ab', 'a b', 'a:b', '..', 'é1']) assert.notEqual(nameProblem(bad), undefined, bad);
  assert.match(anonymousName(), /^[0-9a-f]{64}$/);
  assert.match(rfc3339(new Date()), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
});

test('local driver options', () => {
  assert.equal(localOptionsProblem(undefined), undefined);
  assert.equal(localOptionsProblem({}), undefined);
  assert.equal(localOptionsProblem({ type: 'tmpfs', device: 'tmpfs', o: 'size=100m,uid=1000' }), undefined);
  assert.equal(localOptionsProblem({ type: 'nfs', device: ':/export', o: 'addr=10.0.0.1' }), undefined);
  assert.equal(localOptionsProblem({ x: '1' }), 'invalid option: "x"');
  assert.equal(localOptionsProblem({ type: 'tmpfs' }), 'missing required option: "device"');
  assert.equal(localOptionsProblem({ device: 'tmpfs' }), 'missing required option: "type"');
  assert.equal(localOptionsProblem({ o: 'size=1m' }), 'missing required option: "device"');
  assert.equal(localOptionsProblem({ size: '10m' }), 'quota size requested but no quota support');
  assert.equal(localOptionsProblem({ size: 'lots' }), "invalid size: 'lots'");
  assert.equal(localOptionsProblem({ type: 'cifs', device: '//srv:445/share' }), "port not allowed in CIFS device URL, include 'port' in 'o='");
  assert.equal(localOptionsProblem({ type: 'none', o: 'bind', device: '/' }), undefined);
  assert.equal(localOptionsProblem({ type: 'none', o: 'bind', device: '/no/such/dir' }), 'bind device does not exist: /no/such/dir');
  assert.ok(needsMount({ type: 'tmpfs', device: 'tmpfs' }));
  assert.ok(!needsMount({}));
  assert.ok(!needsMount(null));
});

test('mount calls', () => {
  assert.deepEqual(mountCalls({ type: 'tmpfs', device: 'tmpfs', o: 'size=100m,uid=1000,noexec' }), [
    { source: 'tmpfs', fstype: 'tmpfs', flags: MS_NOEXEC, data: 'size=100m,uid=1000' },
  ]);
  assert.deepEqual(mountCalls({ type: 'none', device: '/src', o: 'bind,ro,private' }), [
    { source: '/src', fstype: null, flags: MS_BIND | MS_RDONLY, data: null },
    { source: null, fstype: null, flags: MS_BIND | MS_RDONLY | MS_REMOUNT, data: null },
    { source: null, fstype: null, flags: MS_PRIVATE, data: null },
  ]);
  assert.deepEqual(mountCalls({ type: 'none', device: '/src', o: 'rbind' }), [{ source: '/src', fstype: null, flags: MS_BIND | MS_REC, data: null }]);
  assert.equal(redactPassword("mount '//h/s' failed: password=s3cret", 'user=u,password=s3cret'), "mount '//h/s' failed: password=********");
});

test('filters', () => {
  const f = new Map([['label', new Set(['a', 'b=2'])]]);
  assert.ok(matchLabelFilters(f, { a: '', b: '2', c: '3' }));
  assert.ok(!matchLabelFilters(f, { a: '', b: '3' }));
  assert.ok(!matchLabelFilters(f, null));
  assert.ok(matchLabelFilters(new Map(), null));
  assert.ok(!matchLabelFilters(new Map([['label!', new Set(['a'])]]), { a: 'x' }));
  assert.ok(matchLabelFilters(new Map([['label!', new Set(['a'])]]), { b: 'x' }));
  assert.ok(matchName(new Set(['web']), 'web'));
  assert.ok(matchName(new Set(['^we']), 'web'));
  assert.ok(matchName(new Set(['b']), 'web'), 'regular expressions match anywhere, as Go');
  assert.ok(!matchName(new Set(['^x', '(']), 'web'));
  assert.equal(boolFilter(new Map([['dangling', new Set(['true'])]]), 'dangling'), true);
  assert.equal(boolFilter(new Map([['dangling', new Set(['0'])]]), 'dangling'), false);
  assert.equal(boolFilter(new Map(), 'dangling'), undefined);
  assert.throws(() => boolFilter(new Map([['dangling', new Set(['maybe'])]]), 'dangling'), { message: "invalid filter 'dangling=[maybe]'" });
  assert.throws(() => validateFilterKeys(new Map([['colour', new Set()]]), ['label']), { message: "invalid filter 'colour'" });
});
