/** Bad input gets one clear line and a non-zero exit, and nothing is left behind. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeBundle, cgroupDirs, mountsUnder } from '../../helpers/runc.js';

function assertNothingLeft(b: ReturnType<typeof makeBundle>, id: string): void {
  assert.equal(existsSync(join(b.root, id)), false, 'no state directory');
  assert.deepEqual(cgroupDirs(b.cgroupParent).filter((d) => existsSync(join(d, 'c'))), [], 'no cgroup');
  assert.deepEqual(mountsUnder(b.dir), [], 'no mounts');
}

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got: ${stderr}`);
  assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
  return lines[0]!;
}

test('malformed config.json', (t) => {
  const b = makeBundle();
  t.after(() => b.cleanup());
  writeFileSync(join(b.dir, 'config.json'), '{"ociVersion": "1.2.0", ');
  const r = b.runc(['run', 'bad']);
  assert.equal(r.status, 1);
  assert.match(oneLine(r.stderr), /config\.json/);
  assertNothingLeft(b, 'bad');
});

test('missing rootfs', (t) => {
  const b = makeBundle();
  t.after(() => b.cleanup());
  rmSync(join(b.dir, 'rootfs'), { recursive: true });
  const r = b.runc(['create', 'bad']);
  assert.equal(r.status, 1);
  assert.match(oneLine(r.stderr), /rootfs .*does not exist/);
  assertNothingLeft(b, 'bad');
});

test('unknown namespace type and unsupported ociVersion', (t) => {
  const b = makeBundle((s) => { s.linux!.namespaces!.push({ type: 'bogus' as never }); });
  t.after(() => b.cleanup());
  let r = b.runc(['run', 'bad']);
  assert.equal(r.status, 1);
  assert.match(oneLine(r.stderr), /namespaces\[\d+\]\.type.*bogus/);
  assertNothingLeft(b, 'bad');
  b.spec.linux!.namespaces!.pop();
  b.spec.ociVersion = '2.0.0';
  b.write();
  r = b.runc(['run', 'bad']);
  assert.equal(r.status, 1);
  assert.match(oneLine(r.stderr), /2\.0\.0/);
  assertNothingLeft(b, 'bad');
});

test('a failing mount is reported with its step and cleaned up', (t) => {
  const b = makeBundle((s) => {
    s.mounts!.push({ destination: '/data', type: 'bind', source: '/nonexistent-skiff-source', options: ['rbind'] });
  });
  t.after(() => b.cleanup());
  const r = b.runc(['run', 'bad']);
  assert.equal(r.status, 1);
  assert.match(oneLine(r.stderr), /\/nonexistent-skiff-source/);
  assertNothingLeft(b, 'bad');
});

test('a kernel refusal during setup names the step', (t) => {
  const b = makeBundle((s) => { s.linux!.sysctl = { 'net.ipv4.no_such_sysctl': '1' }; });
  t.after(() => b.cleanup());
  const r = b.runc(['run', 'bad']);
  assert.equal(r.status, 1);
  assert.match(oneLine(r.stderr), /write: open \/proc\/sys\/net\/ipv4\/no_such_sysctl: No such file or directory/);
  assertNothingLeft(b, 'bad');
});

test('bad ids, unknown containers and unknown flags', (t) => {
  const b = makeBundle();
  t.after(() => b.cleanup());
  assert.match(oneLine(b.runc(['create', '../x']).stderr), /invalid container id format/);
  assert.match(oneLine(b.runc(['state', 'nope']).stderr), /No such container: nope/);
  assert.match(oneLine(b.runc(['kill', 'nope']).stderr), /No such container: nope/);
  assert.match(oneLine(b.runc(['run', '--bogus', 'x']).stderr), /flag provided but not defined: -bogus/);
  assert.equal(b.runc(['delete', '--force', 'nope']).status, 0);
  assert.deepEqual(readdirSync(b.root).filter((n) => !n.startsWith('.')), []);
});
