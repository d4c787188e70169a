import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineError } from '../../common/errors.js';
import { parseCgroupLayout } from './layout.js';
import { cgroupDir, defaultCgroupsPath, expandSlice, parseCgroupsPath } from './paths.js';

const isInvalid = (e: unknown) => e instanceof EngineError && e.kind === 'invalid-argument';

test('default path', () => {
  assert.equal(defaultCgroupsPath('abc'), '/skiff/abc');
});

test('absolute and relative paths are normalised', () => {
  assert.deepEqual(parseCgroupsPath('/skiff//abc/'), { kind: 'absolute', path: '/skiff/abc' });
  assert.deepEqual(parseCgroupsPath('a/./b'), { kind: 'relative', path: 'a/b' });
});

test('".." and the root are rejected', () => {
  assert.throws(() => parseCgroupsPath('/a/../b'), isInvalid);
  assert.throws(() => parseCgroupsPath('../x'), isInvalid);
  assert.throws(() => parseCgroupsPath('/'), isInvalid);
  assert.throws(() => parseCgroupsPath(''), isInvalid);
});

test('systemd form maps to the slice hierarchy and a scope', () => {
  assert.deepEqual(parseCgroupsPath('system.slice:docker:abc'), { kind: 'systemd', path: '/system.slice/docker-abc.scope' });
  assert.deepEqual(parseCgroupsPath('user-1000.slice:skiff:x'), { kind: 'systemd', path: '/user.slice/user-1000.slice/skiff-x.scope' });
  assert.deepEqual(parseCgroupsPath(':skiff:x'), { kind: 'systemd', path: '/system.slice/skiff-x.scope' });
  assert.deepEqual(parseCgroupsPath('-.slice::x'), { kind: 'systemd', path: '/x.scope' });
  assert.deepEqual(parseCgroupsPath('machine.slice::sub.slice'), { kind: 'systemd', path: '/machine.slice/sub.slice' });
  assert.throws(() => parseCgroupsPath('notaslice:p:x'), isInvalid);
});

test('expandSlice', () => {
  assert.deepEqual(expandSlice('a-b-c.slice'), ['a.slice', 'a-b.slice', 'a-b-c.slice']);
  assert.throws(() => expandSlice('a--b.slice'), isInvalid);
});

test('cgroupDir resolves relative paths against the caller\'s own cgroup', () => {
  const layout = parseCgroupLayout(
    '35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n41 31 0:38 /outer /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n',
    '4:memory:/process_api/42\n0::/outer/me\n',
  );
  assert.equal(cgroupDir(layout, '/sys/fs/cgroup/memory', 'memory', parseCgroupsPath('/skiff/x')), '/sys/fs/cgroup/memory/skiff/x');
  assert.equal(cgroupDir(layout, '/sys/fs/cgroup/memory', 'memory', parseCgroupsPath('x')), '/sys/fs/cgroup/memory/process_api/42/x');
  // The cgroup2 mount shows the hierarchy from /outer down.
  assert.equal(cgroupDir(layout, '/sys/fs/cgroup/unified', '', parseCgroupsPath('x')), '/sys/fs/cgroup/unified/me/x');
});
