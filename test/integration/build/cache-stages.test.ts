/**
 * The classic builder's cache, multi-stage builds and `.dockerignore`, through the stock docker
 * CLI: an unchanged context is fully cached, a changed copied file re-runs from its step,
 * `--target` stops at a stage and skips the ones it does not need, `COPY --from` reads a stage
 * or an image, and ignored files never reach the image.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixture, skipReason, steps, type BuildFixture } from './helpers.js';

if (skipReason) console.log(`# skipping docker build cache tests: ${skipReason}`);
const skip = skipReason;
let f: BuildFixture;

before(async () => { if (!skip) f = await buildFixture(); });
after(async () => { if (!skip) await f.close(); });

test('an unchanged context is fully cached; a changed file re-runs from its COPY', { skip }, () => {
  const c = f.context('cache', {
    Dockerfile: 'FROM busybox\nENV A=1\nCOPY one.txt /one.txt\nRUN echo ran >> /log\nCOPY two.txt /two.txt\nRUN cat /one.txt /two.txt > /both\n',
    'one.txt': 'one\n',
    'two.txt': 'two\n',
  });
  const first = f.docker(['build', '-t', 'cache:1', c]);
  assert.equal(first.status, 0, first.stderr);
  assert.ok(steps(first.stdout).every((s) => !s.cached));

  const second = f.docker(['build', '-t', 'cache:1', c]);
  assert.equal(second.status, 0, second.stderr);
  const s2 = steps(second.stdout);
  assert.deepEqual(s2.slice(1).map((s) => s.cached), [true, true, true, true, true], second.stdout);
  const id1 = /Successfully built ([0-9a-f]{12})/.exec(first.stdout)![1];
  assert.match(second.stdout, new RegExp(`Successfully built ${id1}`));

  writeFileSync(join(c, 'two.txt'), 'TWO\n');
  const third = f.docker(['build', '-t', 'cache:2', c]);
  assert.equal(third.status, 0, third.stderr);
  assert.deepEqual(steps(third.stdout).slice(1).map((s) => s.cached), [true, true, true, false, false], third.stdout);
  assert.equal(f.ok(['run', '--rm', 'cache:2', 'cat', '/both']), 'one\nTWO');

  const nocache = f.docker(['build', '--no-cache', '-t', 'cache:3', c]);
  assert.equal(nocache.status, 0, nocache.stderr);
  assert.ok(steps(nocache.stdout).every((s) => !s.cached));
});

test('multi-stage: --target, COPY --from a stage and an image, unused stages skipped', { skip }, () => {
  const c = f.context('stages', {
    Dockerfile: [
      'FROM busybox AS builder',
      'RUN echo built > /artifact',
      'FROM busybox AS broken',
      'RUN exit 9',
      'FROM busybox AS final',
      'COPY --from=builder /artifact /artifact',
      'COPY --from=busybox /bin/busybox /copied-busybox',
      'CMD ["cat", "/artifact"]',
      'FROM final AS extra',
      'RUN echo extra > /extra',
    ].join('\n'),
  });
  const r = f.docker(['build', '--target', 'final', '-t', 'stages:1', c]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.ok(!r.stdout.includes('RUN exit 9'), 'the unused stage is skipped');
  assert.ok(!r.stdout.includes('echo extra'), 'stages after the target are not built');
  assert.equal(f.ok(['run', '--rm', 'stages:1']), 'built');
  assert.equal(f.ok(['run', '--rm', 'stages:1', 'sh', '-c', 'test -x /copied-busybox && echo yes']), 'yes');

  const bad = f.docker(['build', '--target', 'nosuch', c]);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /failed to reach build target nosuch in Dockerfile/);
});

test('.dockerignore excludes files, with exceptions; -f names a Dockerfile elsewhere', { skip }, () => {
  const c = f.context('ignore', {
    'build/Custom.dockerfile': 'FROM busybox\nCOPY . /ctx/\n',
    '.dockerignore': '# comment\n*.log\nsecret/\n**/tmp\ndocs\n!docs/keep.md\n',
    'app.txt': 'app\n',
    'debug.log': 'log\n',
    'secret/key': 'k\n',
    'src/tmp': 'tmp\n',
    'src/main.c': 'int main;\n',
    'docs/drop.md': 'drop\n',
    'docs/keep.md': 'keep\n',
  });
  const r = f.docker(['build', '-f', join(c, 'build/Custom.dockerfile'), '-t', 'ignore:1', c]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const files = f.ok(['run', '--rm', 'ignore:1', 'find', '/ctx', '-type', 'f']).split('\n').sort();
  assert.deepEqual(files, ['/ctx/.dockerignore', '/ctx/app.txt', '/ctx/build/Custom.dockerfile', '/ctx/docs/keep.md', '/ctx/src/main.c']);
});
