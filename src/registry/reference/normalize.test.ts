import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineError } from '../../common/errors.js';
import {
  parseNormalizedNamed, parseDockerRef, parseAnyReference, familiarName, familiarString, tagNameOnly,
  DigestReference, Reference,
} from './index.js';

const F = 'f'.repeat(64);
const ID = '1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a';

const valid = [
  'docker/docker', 'library/debian', 'debian', 'localhost/library/debian', 'localhost/debian',
  'LOCALDOMAIN/library/debian', 'LOCALDOMAIN/debian', 'docker.io/docker/docker', 'docker.io/library/debian',
  'docker.io/debian', 'index.docker.io/docker/docker', 'index.docker.io/library/debian', 'index.docker.io/debian',
  '127.0.0.1:5000/docker/docker', '127.0.0.1:5000/library/debian', '127.0.0.1:5000/debian', '192.168.0.1',
  '192.168.0.1:80', '192.168.0.1:8/debian', '192.168.0.2:25000/debian',
  'thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev', '[fc00::1]:5000/docker',
  '[fc00::1]:5000/docker/docker', '[fc00:1:2:3:4:5:6:7]:5000/library/debian', `docker.io/${ID}`,
  'Docker/docker', 'DOCKER/docker', 'docker-rules/docker', 'docker---rules/docker', 'd/docker', 'jess/t',
  'dock__er/docker',
];
const invalid = [
  'https://github.com/docker/docker', 'docker/Docker', '-docker', '-docker/docker', '-docker.io/docker/docker',
  'docker///docker', 'docker.io/docker/Docker', 'docker.io/docker///docker', '[fc00::1]', '[fc00::1]:5000',
  'fc00::1:5000/debian', '[fe80::1%eth0]:5000/debian', '[2001:db8:3:4::192.0.2.33]:5000/debian', ID,
  'docker-/docker', '-docker-/docker', '____/____', '_docker/_docker', 'dock..er/docker', 'dock_.er/docker',
  'dock-.er/docker', 'docker/', `${'x'.repeat(250)}/docker/${'y'.repeat(10)}`, '', 'busybox:', 'busybox@',
];

test('valid names parse', () => {
  for (const s of valid) assert.doesNotThrow(() => parseNormalizedNamed(s), s);
});

test('invalid names are refused with invalid-argument', () => {
  for (const s of invalid) {
    assert.throws(() => parseNormalizedNamed(s), (e: unknown) => e instanceof EngineError && e.kind === 'invalid-argument', s);
  }
});

const normalized: Array<[input: string, full: string, familiar: string, familiarNm: string]> = [
  ['busybox', 'docker.io/library/busybox', 'busybox', 'busybox'],
  ['busybox:1.36', 'docker.io/library/busybox:1.36', 'busybox:1.36', 'busybox'],
  ['library/busybox', 'docker.io/library/busybox', 'busybox', 'busybox'],
  ['docker.io/busybox', 'docker.io/library/busybox', 'busybox', 'busybox'],
  ['index.docker.io/busybox', 'docker.io/library/busybox', 'busybox', 'busybox'],
  ['index.docker.io/user/app:v1', 'docker.io/user/app:v1', 'user/app:v1', 'user/app'],
  ['docker.io/library/a/b', 'docker.io/library/a/b', 'library/a/b', 'library/a/b'],
  ['user/app', 'docker.io/user/app', 'user/app', 'user/app'],
  ['localhost/app', 'localhost/app', 'localhost/app', 'localhost/app'],
  ['localhost:5000/x', 'localhost:5000/x', 'localhost:5000/x', 'localhost:5000/x'],
  ['quay.io/coreos/etcd:v3', 'quay.io/coreos/etcd:v3', 'quay.io/coreos/etcd:v3', 'quay.io/coreos/etcd'],
  ['127.0.0.1:5000/a/b@sha256:' + F, '127.0.0.1:5000/a/b@sha256:' + F, '127.0.0.1:5000/a/b@sha256:' + F, '127.0.0.1:5000/a/b'],
  ['busybox:latest@sha256:' + F, 'docker.io/library/busybox:latest@sha256:' + F, 'busybox:latest@sha256:' + F, 'busybox'],
  ['Foo/bar', 'Foo/bar', 'Foo/bar', 'Foo/bar'],
];

for (const [input, full, familiar, fname] of normalized) {
  test(`normalise ${input}`, () => {
    const r = parseNormalizedNamed(input);
    assert.equal(r.toString(), full);
    assert.equal(familiarString(r), familiar);
    assert.equal(familiarName(r), fname);
  });
}

test('upper case in the repository gives Docker\'s message', () => {
  assert.throws(() => parseNormalizedNamed('Foo'), {
    message: 'invalid reference format: repository name (library/Foo) must be lowercase',
  });
  assert.throws(() => parseNormalizedNamed('docker.io/user/App:v1'), {
    message: 'invalid reference format: repository name (user/App) must be lowercase',
  });
  assert.throws(() => parseNormalizedNamed('a b'), { message: 'invalid reference format' });
  assert.throws(() => parseNormalizedNamed(ID), {
    message: `invalid repository name (${ID}), cannot specify 64-byte hexadecimal strings`,
  });
});

test('tagNameOnly adds latest only to bare names', () => {
  assert.equal(tagNameOnly(parseNormalizedNamed('busybox')).toString(), 'docker.io/library/busybox:latest');
  assert.equal(tagNameOnly(parseNormalizedNamed('busybox:1')).toString(), 'docker.io/library/busybox:1');
  assert.equal(tagNameOnly(parseNormalizedNamed(`busybox@sha256:${F}`)).toString(), `docker.io/library/busybox@sha256:${F}`);
});

test('parseDockerRef keeps the digest when both tag and digest are given', () => {
  assert.equal(parseDockerRef(`busybox:latest@sha256:${F}`).toString(), `docker.io/library/busybox@sha256:${F}`);
  assert.equal(parseDockerRef('busybox').toString(), 'docker.io/library/busybox:latest');
});

test('parseAnyReference accepts IDs and digests', () => {
  const id = parseAnyReference(ID);
  assert.ok(id instanceof DigestReference);
  assert.equal(id.digest, `sha256:${ID}`);
  const d = parseAnyReference(`sha256:${F}`);
  assert.ok(d instanceof DigestReference);
  assert.equal(familiarString(d), `sha256:${F}`);
  const n = parseAnyReference('busybox');
  assert.ok(n instanceof Reference);
  assert.equal(n.name, 'docker.io/library/busybox');
});
