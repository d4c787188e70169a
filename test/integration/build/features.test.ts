/**
 * Dockerfile features beyond the classic builder's own, as BuildKit's Dockerfile frontend reads
 * them, through `DOCKER_BUILDKIT=0 docker build` against skiffd: heredocs in RUN and COPY,
 * `RUN --mount` (cache, bind, tmpfs), `RUN --network`, `COPY --link/--parents/--exclude`,
 * `ADD --checksum`, `--cache-from`, what is refused, and that failed builds leave nothing behind.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { buildFixture, skipReason, steps, type BuildFixture } from './helpers.js';

if (skipReason) console.log(`# skipping docker build feature tests: ${skipReason}`);
const skip = skipReason;
let f: BuildFixture;

before(async () => { if (!skip) f = await buildFixture(); });
after(async () => { if (!skip) await f.close(); });

/** `cat` of files in an image, one run. */
function cat(image: string, ...paths: string[]): string {
  return f.ok(['run', '--rm', image, 'cat', ...paths]);
}

function exists(image: string, path: string): boolean {
  return f.docker(['run', '--rm', image, 'test', '-e', path]).status === 0;
}

/** Nothing a failed build could leave: containers, build snapshots, temp dirs and mounts. */
function assertNothingLeft(what: string): void {
  assert.equal(f.docker(['ps', '-aq']).stdout.trim(), '', `${what}: no container is left`);
  const meta = readFileSync(join(f.d.dataRoot, 'snapshots', 'metadata.json'), 'utf8');
  assert.ok(!/"build-/.test(meta), `${what}: no build snapshot is left`);
  const temp = readdirSync(join(f.d.dataRoot, 'builder')).filter((n) => /^(context|mnt|add)-/.test(n));
  assert.deepEqual(temp, [], `${what}: no temp dir is left`);
  assert.ok(!readFileSync('/proc/self/mountinfo', 'utf8').includes(join(f.d.dataRoot, 'builder')), `${what}: nothing stays mounted`);
}

test('heredocs: RUN scripts, <<- tabs, quoted delimiters, a command before, shebang scripts, COPY files', { skip }, () => {
  const c = f.context('heredoc', {
    Dockerfile: [
      'FROM busybox',
      'ARG WHO=world',
      'ENV GREET=hello',
      'RUN <<EOF',
      'echo "one $GREET" > /h1.txt',
      'echo two >> /h1.txt',
      'EOF',
      'RUN <<-EOT',
      '\techo tabbed > /h2.txt',
      '\tEOT',
      "RUN cat <<'EOF' > /h3.txt",
      'no $GREET expansion',
      'EOF',
      'RUN sh <<EOF',
      'echo "shell $GREET" > /h4.txt',
      'EOF',
      'RUN <<EOF',
      '#!/bin/sh',
      'echo "script $0 $(id -u)" > /h5.txt',
      'EOF',
      'RUN cat <<A > /h6.txt && cat <<-B >> /h6.txt',
      'first',
      'A',
      '\tsecond',
      '\tB',
      'COPY <<EOF /etc/conf.txt',
      'greet=$GREET who=$WHO',
      'EOF',
      "COPY <<'EOF' /raw.txt",
      'greet=$GREET',
      'EOF',
      'COPY --chmod=755 <<a <<b /multi/',
      'file a',
      'a',
      'file b',
      'b',
    ].join('\n'),
  });
  const r = f.docker(['build', '-t', 'heredoc:1', c]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.equal(cat('heredoc:1', '/h1.txt'), 'one hello\ntwo');
  assert.equal(cat('heredoc:1', '/h2.txt'), 'tabbed');
  assert.equal(cat('heredoc:1', '/h3.txt'), 'no $GREET expansion');
  assert.equal(cat('heredoc:1', '/h4.txt'), 'shell hello');
  assert.equal(cat('heredoc:1', '/h5.txt'), 'script /dev/pipes/EOF 0');
  assert.equal(cat('heredoc:1', '/h6.txt'), 'first\nsecond');
  assert.equal(cat('heredoc:1', '/etc/conf.txt'), 'greet=hello who=world');
  assert.equal(cat('heredoc:1', '/raw.txt'), 'greet=$GREET');
  assert.equal(f.ok(['run', '--rm', 'heredoc:1', 'stat', '-c', '%n %a %U', '/multi/a', '/multi/b']), '/multi/a 755 root\n/multi/b 755 root');
  assert.equal(cat('heredoc:1', '/multi/a', '/multi/b'), 'file a\nfile b');
  assert.ok(!exists('heredoc:1', '/dev/pipes/EOF'), 'the script is not part of the image');
  // Rebuilt unchanged, every step comes from the cache.
  const again = f.docker(['build', '-t', 'heredoc:1', c]);
  assert.equal(again.status, 0, again.stderr);
  assert.ok(steps(again.stdout).slice(3).every((s) => s.cached), again.stdout);
});

test('RUN --mount: cache persists across builds but stays out of the image; bind from context, stage and rw; tmpfs; --network=none', { skip }, () => {
  const c = f.context('mounts', {
    Dockerfile: [
      'FROM busybox AS tools',
      'RUN mkdir -p /opt/tool && echo tool-data > /opt/tool/info.txt',
      'FROM busybox',
      'ARG RUNS=0',
      "RUN --mount=type=cache,target=/root/.cache/app,id=app-cache sh -c 'echo run >> /root/.cache/app/log; wc -l < /root/.cache/app/log > /count.txt; ls -ld /root/.cache/app | cut -c1-10 > /cache-mode.txt'",
      'RUN --mount=type=bind,source=src,target=/in/src cat /in/src/hello.txt > /from-context.txt',
      'RUN --mount=type=bind,from=tools,source=/opt/tool,target=/t cp /t/info.txt /from-stage.txt',
      'RUN --mount=type=cache,target=/seed,id=seeded,from=tools,source=/opt/tool,uid=65534 sh -c \'cat /seed/info.txt > /seeded.txt; stat -c %u /seed >> /seeded.txt\'',
      "RUN --mount=type=bind,source=src,target=/w,rw sh -c 'echo scratch > /w/new.txt && ls /w > /rw-list.txt'",
      "RUN --mount=type=tmpfs,target=/scratch,size=1m sh -c 'grep \" /scratch \" /proc/mounts | cut -d\" \" -f3 > /tmpfs-type.txt; echo x > /scratch/y'",
      "RUN --network=none sh -c 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d \" \" > /nets-none.txt'",
      "RUN sh -c 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d \" \" | sort > /nets-default.txt'",
      'RUN --mount=type=cache,target=/shared,sharing=locked --mount=type=cache,target=/private,sharing=private touch /shared/x /private/y',
    ].join('\n'),
    'src/hello.txt': 'hello from the context\n',
  });
  const r = f.docker(['build', '-t', 'mounts:1', c]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.equal(cat('mounts:1', '/count.txt'), '1');
  assert.equal(cat('mounts:1', '/cache-mode.txt'), 'drwxr-xr-x');
  assert.ok(!exists('mounts:1', '/root/.cache'), 'the cache mount target and the directory made for it stay out of the image');
  assert.ok(exists('mounts:1', '/root'), 'directories the image had are kept');
  assert.equal(cat('mounts:1', '/from-context.txt'), 'hello from the context');
  assert.equal(cat('mounts:1', '/from-stage.txt'), 'tool-data');
  assert.equal(cat('mounts:1', '/seeded.txt'), 'tool-data\n65534', 'a cache mount with from= starts as a copy of that path');
  assert.equal(cat('mounts:1', '/rw-list.txt'), 'hello.txt\nnew.txt');
  assert.ok(!exists('mounts:1', '/in') && !exists('mounts:1', '/w') && !exists('mounts:1', '/t') && !exists('mounts:1', '/scratch'), 'mount stubs are removed');
  assert.equal(readdirSync(join(c, 'src')).join(','), 'hello.txt', 'a rw bind never writes to the context');
  assert.equal(cat('mounts:1', '/tmpfs-type.txt'), 'tmpfs');
  assert.equal(cat('mounts:1', '/nets-none.txt'), 'lo');
  assert.equal(cat('mounts:1', '/nets-default.txt'), 'eth0\nlo');
  assert.ok(!exists('mounts:1', '/shared/x') && !exists('mounts:1', '/private/y'));

  // A second build that runs the step again sees what the first one left in the cache.
  const r2 = f.docker(['build', '--build-arg', 'RUNS=1', '-t', 'mounts:2', c]);
  assert.equal(r2.status, 0, r2.stderr + r2.stdout);
  assert.equal(cat('mounts:2', '/count.txt'), '2');
  assert.ok(!exists('mounts:2', '/root/.cache/app/log'));
  // `builder prune --all` empties the cache mounts, as with BuildKit.
  f.ok(['builder', 'prune', '-a', '-f']);
  f.ok(['build', '--build-arg', 'RUNS=2', '-t', 'mounts:4', c]);
  assert.equal(cat('mounts:4', '/count.txt'), '1');
  // Changing a bound context file re-runs the step that reads it.
  const r3 = f.docker(['build', '-t', 'mounts:3', f.context('mounts', {
    Dockerfile: 'FROM busybox\nRUN --mount=type=bind,source=src,target=/in/src cat /in/src/hello.txt > /from-context.txt\n',
    'src/hello.txt': 'changed\n',
  })]);
  assert.equal(r3.status, 0, r3.stderr + r3.stdout);
  assert.equal(cat('mounts:3', '/from-context.txt'), 'changed');
  assertNothingLeft('mount builds');
});

test('COPY --link, --exclude and --parents; ADD --checksum verifies a download', { skip }, async () => {
  const body = 'downloaded\n';
  const sum = createHash('sha256').update(body).digest('hex');
  const server: Server = createServer((req, res) => {
    if (req.url === '/file.txt') { res.writeHead(200); res.end(body); } else { res.writeHead(404); res.end(); }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/file.txt`;
    const c = f.context('copyflags', {
      Dockerfile: [
        'FROM busybox',
        'COPY --link files/a.txt /link/',
        'COPY --exclude=**/*.md --exclude=skip docs/ /docs/',
        'COPY --parents src/x/one.txt src/y/*.txt /p/',
        'COPY --parents ./src/./x/one.txt /pivot/',
        `ADD --checksum=sha256:${sum} ${url} /dl/`,
      ].join('\n'),
      'files/a.txt': 'a\n',
      'docs/keep.txt': 'keep\n',
      'docs/readme.md': 'md\n',
      'docs/sub/keep2.txt': 'keep2\n',
      'docs/sub/notes.md': 'md\n',
      'docs/skip/gone.txt': 'gone\n',
      'src/x/one.txt': 'one\n',
      'src/y/two.txt': 'two\n',
    });
    const r = await f.dockerAsync(['build', '-t', 'copyflags:1', c]);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.equal(cat('copyflags:1', '/link/a.txt'), 'a');
    assert.equal(f.ok(['run', '--rm', 'copyflags:1', 'find', '/docs', '-type', 'f']).split('\n').sort().join(' '), '/docs/keep.txt /docs/sub/keep2.txt');
    assert.equal(cat('copyflags:1', '/p/src/x/one.txt', '/p/src/y/two.txt'), 'one\ntwo');
    assert.equal(f.ok(['run', '--rm', 'copyflags:1', 'find', '/pivot', '-type', 'f']), '/pivot/x/one.txt');
    assert.equal(cat('copyflags:1', '/dl/file.txt'), 'downloaded');

    const bad = f.context('badsum', { Dockerfile: `FROM busybox\nADD --checksum=sha256:${'0'.repeat(64)} ${url} /dl/\n` });
    const b = await f.dockerAsync(['build', '-t', 'badsum:1', bad]);
    assert.notEqual(b.status, 0);
    assert.match(b.stderr, new RegExp(`digest mismatch: expected sha256:0{64}, got sha256:${sum}`));
    const local = f.context('localsum', { Dockerfile: `FROM busybox\nADD --checksum=sha256:${sum} f.txt /\n`, 'f.txt': 'x' });
    assert.match((await f.dockerAsync(['build', local])).stderr, /checksum can't be specified for non-HTTP\(S\) sources/);
    assertNothingLeft('copy builds');
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('--cache-from reuses the steps of an image whose history matches', { skip }, () => {
  const c = f.context('cachefrom', {
    Dockerfile: 'FROM busybox\nRUN echo built > /b.txt\nENV X=1\nCOPY f.txt /f.txt\nCMD ["cat", "/f.txt"]\n',
    'f.txt': 'content\n',
  });
  f.ok(['build', '-t', 'cf:src', c]);
  const srcId = f.ok(['inspect', '-f', '{{.Id}}', 'cf:src']);
  // Forget the local build cache: only --cache-from can supply the steps now.
  f.ok(['builder', 'prune', '-a', '-f']);
  const without = f.docker(['build', '-t', 'cf:plain', c]);
  assert.equal(without.status, 0, without.stderr);
  assert.ok(steps(without.stdout).slice(1).every((s) => !s.cached), without.stdout);
  f.ok(['rmi', 'cf:plain']);
  f.ok(['builder', 'prune', '-a', '-f']);
  const withFrom = f.docker(['build', '--cache-from', 'cf:src', '-t', 'cf:again', c]);
  assert.equal(withFrom.status, 0, withFrom.stderr + withFrom.stdout);
  assert.ok(steps(withFrom.stdout).slice(1).every((s) => s.cached), withFrom.stdout);
  assert.equal(f.ok(['inspect', '-f', '{{.Id}}', 'cf:again']), srcId);
  assert.equal(f.ok(['run', '--rm', 'cf:again']), 'content');
  // A changed file breaks the chain from its COPY on.
  const changed = f.docker(['build', '--cache-from', 'cf:src', '-t', 'cf:changed', f.context('cachefrom', {
    Dockerfile: 'FROM busybox\nRUN echo built > /b.txt\nENV X=1\nCOPY f.txt /f.txt\nCMD ["cat", "/f.txt"]\n',
    'f.txt': 'other\n',
  })]);
  assert.equal(changed.status, 0, changed.stderr);
  assert.deepEqual(steps(changed.stdout).map((s) => s.cached), [false, true, true, false, false]);
  assert.equal(f.ok(['run', '--rm', 'cf:changed']), 'other');
});

test('refused features and bad flags fail clearly, naming the line, and leave nothing behind', { skip }, () => {
  const before = f.ok(['images', '-aq']).split('\n').length;
  const cases: Array<[string, RegExp]> = [
    ['FROM busybox\nRUN --mount=type=secret,id=token cat /run/secrets/token\n', /RUN --mount=type=secret is not supported by the classic builder/],
    ['FROM busybox\nRUN --mount=type=ssh ssh-add -l\n', /RUN --mount=type=ssh is not supported by the classic builder/],
    ['FROM busybox\nRUN echo a\nRUN --security=insecure true\n', /dockerfile parse error on line 3: RUN --security=insecure is not allowed/],
    ['FROM busybox\nRUN --mount=type=foo,target=/x true\n', /dockerfile parse error on line 2: unsupported mount type "foo"/],
    ['FROM busybox\nRUN --network=bridge true\n', /dockerfile parse error on line 2: invalid network mode "bridge"/],
    ['FROM busybox\nCOPY --nope a /b\n', /dockerfile parse error on line 2: unknown flag: --nope/],
    ['FROM busybox\nADD --keep-git-dir=true https://127.0.0.1:1/x.git /src\n', /ADD --keep-git-dir is not supported/],
    ['FROM busybox\nRUN echo a\nRUN --mount=type=cache,target=/c,sharing=sometimes true\n', /dockerfile parse error on line 3: unsupported sharing value "sometimes"/],
    ['FROM busybox\nRUN --mount=type=tmpfs,target=/t,uid=1 true\n', /dockerfile parse error on line 2: uid not allowed for "tmpfs" type mounts/],
    ['FROM busybox\nRUN echo a\nRUN <<EOF\necho never ends\n', /dockerfile parse error on line 3: unterminated heredoc/],
    ['FROM busybox\nCOPY <<EOF\nx\nEOF\n', /dockerfile parse error on line 2: COPY requires at least two arguments/],
  ];
  for (const [dockerfile, want] of cases) {
    const r = f.docker(['build', '--force-rm', f.context('refused', { Dockerfile: dockerfile })]);
    assert.notEqual(r.status, 0, dockerfile);
    assert.match(r.stderr, want, dockerfile);
    assert.ok(!/\n\s+at /.test(r.stderr), 'no stack trace');
  }
  assert.equal(f.ok(['images', '-aq']).split('\n').length, before, 'refused before any step ran');
  // A mount that fails once the step runs: the steps before it stay cached, nothing else remains.
  const missing = f.docker(['build', '--force-rm', f.context('refused', { Dockerfile: 'FROM busybox\nRUN --mount=type=bind,source=nope,target=/x true\n' })]);
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /failed to mount \/x: "\/nope" not found in build context/);
  const failing = f.docker(['build', '--force-rm', f.context('refused', { Dockerfile: 'FROM busybox\nRUN --mount=type=cache,target=/c --mount=type=tmpfs,target=/t <<EOF\nexit 4\nEOF\n' })]);
  assert.notEqual(failing.status, 0);
  assert.match(failing.stderr, /returned a non-zero code: 4/);
  assertNothingLeft('failed builds');
});
