/**
 * `docker build` with the classic builder against skiffd: what a multi-instruction Dockerfile
 * produces (files, config, history), ADD of a local tar and of a URL, ONBUILD triggers, a
 * failing RUN (message, exit code, rm/forcerm), parse errors, and `POST /build/prune`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { buildFixture, skipReason, type BuildFixture } from './helpers.js';

if (skipReason) console.log(`# skipping docker build tests: ${skipReason}`);
const skip = skipReason;
let f: BuildFixture;

before(async () => { if (!skip) f = await buildFixture(); });
after(async () => { if (!skip) await f.close(); });

test('a multi-instruction Dockerfile builds an image that runs and shows what was built', { skip }, () => {
  const c = f.context('basic', {
    Dockerfile: [
      'ARG BASE=busybox',
      'FROM ${BASE} AS base',
      'ARG V=1',
      'ENV GREETING=hello DIR=/srv',
      'LABEL org.test.kind="demo app"',
      'WORKDIR $DIR/app',
      'COPY --chown=nobody:nogroup --chmod=640 files/a.txt ./',
      'COPY files/ /data/',
      'ADD archive.tar /unpacked/',
      'RUN echo "v=$V greeting=$GREETING" > /srv/app/run.txt && id -u > /srv/app/uid.txt',
      'RUN ["sh", "-c", "pwd > /srv/app/pwd.txt"]',
      'USER nobody',
      'EXPOSE 8080 53/udp',
      'VOLUME /vol',
      'STOPSIGNAL SIGUSR1',
      'HEALTHCHECK --interval=5s CMD true',
      'ENTRYPOINT ["cat"]',
      'CMD ["/srv/app/run.txt"]',
    ].join('\n'),
    'files/a.txt': 'file a\n',
    'files/sub/b.txt': 'file b\n',
  });
  execFileSync('tar', ['-C', join(c, 'files'), '-cf', join(c, 'archive.tar'), 'sub'], { timeout: 60_000, killSignal: 'SIGKILL' });
  const r = f.docker(['build', '--build-arg', 'V=7', '-t', 'basic:1', c]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /^Step 1\/18 : ARG BASE=busybox$/m);
  assert.match(r.stdout, /^Step 3\/18 : ARG V=1$/m);
  assert.match(r.stdout, / ---> Running in [0-9a-f]{12}\n/);
  assert.match(r.stdout, /Removing intermediate container [0-9a-f]{12}\n/);
  assert.match(r.stdout, /Successfully built [0-9a-f]{12}\nSuccessfully tagged basic:1\n/);

  assert.equal(f.ok(['run', '--rm', 'basic:1']), 'v=7 greeting=hello');
  assert.equal(f.ok(['run', '--rm', 'basic:1', '/srv/app/pwd.txt']), '/srv/app');
  assert.equal(f.ok(['run', '--rm', 'basic:1', '/srv/app/uid.txt']), '0');
  assert.equal(f.ok(['run', '--rm', '--entrypoint', 'stat', 'basic:1', '-c', '%U:%G %a', '/srv/app/a.txt']), 'nobody:nogroup 640');
  assert.equal(f.ok(['run', '--rm', 'basic:1', '/data/sub/b.txt']), 'file b');
  assert.equal(f.ok(['run', '--rm', 'basic:1', '/unpacked/sub/b.txt']), 'file b');

  const cfg = JSON.parse(f.ok(['inspect', '-f', '{{json .Config}}', 'basic:1']));
  assert.deepEqual(cfg.Entrypoint, ['cat']);
  assert.deepEqual(cfg.Cmd, ['/srv/app/run.txt']);
  assert.equal(cfg.WorkingDir, '/srv/app');
  assert.equal(cfg.User, 'nobody');
  assert.ok(cfg.Env.includes('GREETING=hello'));
  assert.ok(!cfg.Env.some((e: string) => e.startsWith('V=')), 'build args stay out of the image env');
  assert.equal(cfg.Labels['org.test.kind'], 'demo app');
  assert.deepEqual(Object.keys(cfg.ExposedPorts).sort(), ['53/udp', '8080/tcp']);
  assert.deepEqual(Object.keys(cfg.Volumes), ['/vol']);
  assert.equal(cfg.StopSignal, 'SIGUSR1');
  assert.deepEqual(cfg.Healthcheck.Test, ['CMD-SHELL', 'true']);

  const history = f.ok(['history', '--no-trunc', '--format', '{{.CreatedBy}}', 'basic:1']).split('\n');
  assert.ok(history.includes('/bin/sh -c #(nop)  ENV GREETING=hello DIR=/srv'), history.join('\n'));
  assert.ok(history.includes('|1 V=7 /bin/sh -c echo "v=$V greeting=$GREETING" > /srv/app/run.txt && id -u > /srv/app/uid.txt'), history.join('\n'));
  assert.ok(history.some((h) => /^\/bin\/sh -c #\(nop\) COPY --chown=nobody:nogroup file:[0-9a-f]{64} in \.\/ $/.test(h)), history.join('\n'));
  assert.equal(f.docker(['ps', '-aq']).stdout.trim(), '', 'no build containers are left');
});

test('ADD downloads an http URL', { skip }, async () => {
  const server: Server = createServer((req, res) => {
    if (req.url === '/remote.txt') { res.writeHead(200, { 'Last-Modified': 'Wed, 01 Jan 2020 00:00:00 GMT' }); res.end('from the web\n'); } else { res.writeHead(404); res.end(); }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    const port = (server.address() as AddressInfo).port;
    const c = f.context('url', { Dockerfile: `FROM busybox\nADD http://127.0.0.1:${port}/remote.txt /web/\n` });
    const r = await f.dockerAsync(['build', '-t', 'url:1', c]);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.equal(f.ok(['run', '--rm', 'url:1', 'cat', '/web/remote.txt']), 'from the web');
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('ONBUILD triggers run when the image is used as a base', { skip }, () => {
  const base = f.context('onbuild-base', { Dockerfile: 'FROM busybox\nONBUILD RUN echo triggered > /trigger.txt\n' });
  f.ok(['build', '-t', 'onbase:1', base]);
  assert.deepEqual(JSON.parse(f.ok(['inspect', '-f', '{{json .Config.OnBuild}}', 'onbase:1'])), ['RUN echo triggered > /trigger.txt']);
  const child = f.context('onbuild-child', { Dockerfile: 'FROM onbase:1\nCMD ["cat", "/trigger.txt"]\n' });
  const r = f.docker(['build', '-t', 'onchild:1', child]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /# Executing 1 build trigger\n/);
  assert.equal(f.ok(['run', '--rm', 'onchild:1']), 'triggered');
  assert.equal(f.ok(['inspect', '-f', '{{json .Config.OnBuild}}', 'onchild:1']), 'null');
});

test('a failing RUN reports Docker\'s message and exit code; forcerm leaves no container', { skip }, () => {
  const c = f.context('fail', { Dockerfile: 'FROM busybox\nRUN echo before\nRUN exit 3\n' });
  const r = f.docker(['build', '--force-rm', '-t', 'fail:1', c]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /The command '\/bin\/sh -c exit 3' returned a non-zero code: 3/);
  assert.equal(f.docker(['ps', '-aq']).stdout.trim(), '');
  assert.notEqual(f.docker(['image', 'inspect', 'fail:1']).status, 0);
  assert.ok(!readFileSync(join(f.d.dataRoot, 'snapshots', 'metadata.json'), 'utf8').includes('build-'), 'no build snapshot is left');

  // Without --force-rm Docker keeps the failed step's container for inspection.
  const kept = f.docker(['build', '-t', 'fail:1', c]);
  assert.notEqual(kept.status, 0);
  const left = f.docker(['ps', '-aq']).stdout.trim();
  assert.equal(left.split('\n').filter(Boolean).length, 1);
  f.ok(['rm', '-f', left]);
});

test('a Dockerfile parse error is a clear error', { skip }, () => {
  const c = f.context('parse', { Dockerfile: 'FROM busybox\nFOO bar\n' });
  const r = f.docker(['build', c]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /dockerfile parse error on line 2: unknown instruction: FOO/i);
  const empty = f.context('empty', { Dockerfile: '# nothing\n' });
  assert.notEqual(f.docker(['build', empty]).status, 0);
});

test('POST /build/prune answers with CachesDeleted and SpaceReclaimed', { skip }, async () => {
  const r = await f.d.request('POST', '/v1.41/build/prune?all=1');
  assert.equal(r.status, 200, r.body);
  const body = r.json();
  assert.ok(Array.isArray(body.CachesDeleted));
  assert.equal(typeof body.SpaceReclaimed, 'number');
});
