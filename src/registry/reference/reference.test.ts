import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineError } from '../../common/errors.js';
import {
  parseReference, withName, ErrNameEmpty, ErrReferenceInvalidFormat, ErrNameContainsUppercase,
  ErrNameTooLong, ErrTagInvalidFormat, ErrDigestInvalidFormat,
} from './index.js';

const F = 'f'.repeat(64);

interface Case { input: string; domain?: string; name?: string; tag?: string; digest?: string; err?: string }

const cases: Case[] = [
  { input: 'test_com', name: 'test_com' },
  { input: 'test.com:tag', name: 'test.com', tag: 'tag' },
  { input: 'test.com:5000', name: 'test.com', tag: '5000' },
  { input: 'test.com/repo:tag', domain: 'test.com', name: 'test.com/repo', tag: 'tag' },
  { input: 'test:5000/repo', domain: 'test:5000', name: 'test:5000/repo' },
  { input: 'test:5000/repo:tag', domain: 'test:5000', name: 'test:5000/repo', tag: 'tag' },
  { input: `test:5000/repo@sha256:${F}`, domain: 'test:5000', name: 'test:5000/repo', digest: `sha256:${F}` },
  { input: `test:5000/repo:tag@sha256:${F}`, domain: 'test:5000', name: 'test:5000/repo', tag: 'tag', digest: `sha256:${F}` },
  { input: '', err: ErrNameEmpty },
  { input: ':justtag', err: ErrReferenceInvalidFormat },
  { input: `@sha256:${F}`, err: ErrReferenceInvalidFormat },
  { input: 'repo@sha256:' + 'f'.repeat(34), err: 'invalid checksum digest length' },
  { input: `validname@invaliddigest:${F}`, err: 'unsupported digest algorithm' },
  { input: 'Uppercase:tag', err: ErrNameContainsUppercase },
  { input: 'test:5000/Uppercase/lowercase:tag', err: ErrNameContainsUppercase },
  { input: 'lowercase:Uppercase', name: 'lowercase', tag: 'Uppercase' },
  { input: `domain/${'a'.repeat(256)}:tag`, err: ErrNameTooLong },
  { input: `${'a/'.repeat(127)}a:tag-puts-this-over-max`, domain: 'a', name: `${'a/'.repeat(127)}a`, tag: 'tag-puts-this-over-max' },
  { input: 'aa/asdf$$^/aa', err: ErrReferenceInvalidFormat },
  { input: 'sub-dom1.foo.com/bar/baz/quux:some-long-tag', domain: 'sub-dom1.foo.com', name: 'sub-dom1.foo.com/bar/baz/quux', tag: 'some-long-tag' },
  { input: 'b.gcr.io/test.example.com/my-app:test.example.com', domain: 'b.gcr.io', name: 'b.gcr.io/test.example.com/my-app', tag: 'test.example.com' },
  { input: 'xn--n3h.com/myimage:xn--n3h.com', domain: 'xn--n3h.com', name: 'xn--n3h.com/myimage', tag: 'xn--n3h.com' },
  { input: 'foo_bar.com:8080', name: 'foo_bar.com', tag: '8080' },
  { input: 'foo/foo_bar.com:8080', domain: 'foo', name: 'foo/foo_bar.com', tag: '8080' },
  { input: '192.168.1.1', name: '192.168.1.1' },
  { input: '192.168.1.1:5000/repo:5050', domain: '192.168.1.1:5000', name: '192.168.1.1:5000/repo', tag: '5050' },
  { input: '[2001:db8::1]', err: ErrReferenceInvalidFormat },
  { input: '[2001:db8::1]:5000', err: ErrReferenceInvalidFormat },
  { input: '[2001:db8::1]/repo', domain: '[2001:db8::1]', name: '[2001:db8::1]/repo' },
  { input: `[2001:db8::1]:5000/repo:tag@sha256:${F}`, domain: '[2001:db8::1]:5000', name: '[2001:db8::1]:5000/repo', tag: 'tag', digest: `sha256:${F}` },
  { input: '[fe80::1%eth0]:5000/repo', err: ErrReferenceInvalidFormat },
  { input: 'repo:' + 'a'.repeat(128), name: 'repo', tag: 'a'.repeat(128) },
  { input: 'repo:' + 'a'.repeat(129), err: ErrReferenceInvalidFormat },
  { input: 'repo:-tag', err: ErrReferenceInvalidFormat },
  { input: 'a__b/c--d/e.f_g', name: 'a__b/c--d/e.f_g' },
  { input: 'a___b', err: ErrReferenceInvalidFormat },
  { input: 'a..b', err: ErrReferenceInvalidFormat },
  { input: 'a/', err: ErrReferenceInvalidFormat },
];

for (const c of cases) {
  test(`parseReference(${JSON.stringify(c.input.length > 60 ? c.input.slice(0, 57) + '...' : c.input)})`, () => {
    if (c.err !== undefined) {
      assert.throws(() => parseReference(c.input), (e: unknown) => {
        assert.ok(e instanceof EngineError);
        assert.equal(e.kind, 'invalid-argument');
        assert.equal(e.message, c.err);
        return true;
      });
      return;
    }
    const r = parseReference(c.input);
    assert.equal(r.name, c.name);
    assert.equal(r.domain, c.domain ?? '');
    assert.equal(r.tag, c.tag);
    assert.equal(r.digest, c.digest);
    assert.equal(r.toString(), c.input);
  });
}

test('withName, withTag and withDigest validate their parts', () => {
  const r = withName('example.com:5000/a/b');
  assert.equal(r.domain, 'example.com:5000');
  assert.equal(r.path, 'a/b');
  assert.equal(r.withTag('v1').toString(), 'example.com:5000/a/b:v1');
  assert.equal(r.withTag('v1').withDigest(`sha256:${F}`).toString(), `example.com:5000/a/b:v1@sha256:${F}`);
  assert.throws(() => r.withTag('.bad'), { message: ErrTagInvalidFormat });
  assert.throws(() => r.withDigest('sha256:xyz'), { message: ErrDigestInvalidFormat });
  assert.throws(() => withName('a:tag'), { message: ErrReferenceInvalidFormat });
  assert.throws(() => withName(`x/${'a'.repeat(256)}`), { message: ErrNameTooLong });
  assert.equal(r.withTag('v1').trimmed().toString(), 'example.com:5000/a/b');
});

test('a long hostile input fails quickly (no catastrophic backtracking)', () => {
  const start = Date.now();
  assert.throws(() => parseReference('a-'.repeat(5000) + '!'));
  assert.throws(() => parseReference('a.'.repeat(5000) + '/!'));
  assert.ok(Date.now() - start < 1000);
});
