/**
 * Independent stages are built at the same time, while the output reads as a sequential build's:
 * steps numbered 1..N in Dockerfile order, each stage's lines together; a failing stage ends the
 * stream as a sequential build would, with its exit code, and leaves no container behind.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFixture, skipReason, steps, type BuildFixture } from './helpers.js';

if (skipReason) console.log(`# skipping concurrent stage tests: ${skipReason}`);
const skip = skipReason;
let f: BuildFixture;

before(async () => { if (!skip) f = await buildFixture(); });
after(async () => { if (!skip) await f.close(); });

const stage = (name: string) => [
  `FROM busybox AS ${name}`,
  `RUN cut -d' ' -f1 /proc/uptime > /${name}.start && sleep 2 && cut -d' ' -f1 /proc/uptime > /${name}.end`,
];

test('two independent stages run at the same time; the stream stays in Dockerfile order', { skip }, () => {
  const c = f.context('concurrent', {
    Dockerfile: [...stage('a'), ...stage('b'), 'FROM busybox', 'COPY --from=a /a.start /a.end /', 'COPY --from=b /b.start /b.end /'].join('\n') + '\n',
  });
  const r = f.docker(['build', '--no-cache', '-t', 'stages:concurrent', c]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const numbers = [...r.stdout.matchAll(/^Step (\d+)\/(\d+) :/gm)].map((m) => Number(m[1]));
  assert.deepEqual(numbers, [1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(steps(r.stdout).map((s) => s.step), [
    'FROM busybox AS a', "RUN cut -d' ' -f1 /proc/uptime > /a.start && sleep 2 && cut -d' ' -f1 /proc/uptime > /a.end",
    'FROM busybox AS b', "RUN cut -d' ' -f1 /proc/uptime > /b.start && sleep 2 && cut -d' ' -f1 /proc/uptime > /b.end",
    'FROM busybox', 'COPY --from=a /a.start /a.end /', 'COPY --from=b /b.start /b.end /',
  ]);
  const [aStart, aEnd, bStart, bEnd] = f.ok(['run', '--rm', 'stages:concurrent', 'cat', '/a.start', '/a.end', '/b.start', '/b.end']).split('\n').map(Number);
  assert.ok(bStart! < aEnd! && aStart! < bEnd!, 'the two RUN steps overlapped in time');
  f.ok(['rmi', 'stages:concurrent']);
});

test('a failing stage ends the build with its exit code; later stages print nothing; with --force-rm no container is left', { skip }, () => {
  const c = f.context('failing', {
    Dockerfile: ['FROM busybox AS a', 'RUN sleep 1 && exit 7', 'FROM busybox AS b', 'RUN echo from-b-was-here', 'FROM busybox', 'COPY --from=a /etc/hostname /a', 'COPY --from=b /etc/hostname /b'].join('\n') + '\n',
  });
  const r = f.docker(['build', '--no-cache', '--force-rm', c]);
  assert.equal(r.status, 7, r.stderr + r.stdout);
  assert.match(r.stderr + r.stdout, /returned a non-zero code: 7/);
  assert.doesNotMatch(r.stdout, /Step 3\/7/);
  assert.doesNotMatch(r.stdout, /from-b-was-here/);
  assert.equal(f.docker(['ps', '-aq']).stdout.trim(), '');
});
