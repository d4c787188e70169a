/**
 * Build fidelity against a real dockerd (Debian's docker.io), only where it is installed: each
 * Dockerfile of a corpus (one per feature) is built with `DOCKER_BUILDKIT=0 docker build` by
 * dockerd and by skiffd from the same busybox image (one tarball loaded into both), and the
 * images' configs, history lines and per-layer file trees (paths, types, modes, owners, sizes)
 * must match. Daemons run on private roots, sockets and bridges and are fully cleaned up.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, docker, startDockerd, startSkiffd, workspace, type BenchDaemon } from '../../bench/lib.js';
import { corpus, differences, readSaved, writeContext, type CorpusCase, type SavedImage } from '../helpers/build-compare.js';

const haveDockerd = spawnSync('which', ['dockerd']).status === 0 && existsSync('/usr/local/bin/docker');
const skip = haveDockerd ? false : 'dockerd (Debian docker.io) or the docker CLI is not installed';
if (skip) console.log(`# skipping dockerd build comparison: ${skip}`);

const TAG = 'bcmp';
const LEGACY = { DOCKER_BUILDKIT: '0' };
let work = '';
let s: BenchDaemon;
let d: BenchDaemon;
const daemons: BenchDaemon[] = [];
/** dockerd before 25 writes some history lines differently (see modernHistory). */
let oldDockerd = false;

before(async () => {
  if (skip) return;
  const ws = workspace('skiff-build-cmp-');
  work = ws.work;
  s = await startSkiffd(work, TAG, '10.238.46.1/24');
  daemons.push(s);
  d = (await startDockerd(work, TAG, '10.238.47.1/24'))!;
  daemons.push(d);
  docker(s, ['import', '-c', 'CMD ["sh"]', ws.tar, 'busybox:latest']);
  const base = join(work, 'busybox-image.tar');
  docker(s, ['save', '-o', base, 'busybox:latest']);
  docker(d, ['load', '-i', base]);
  oldDockerd = Number(docker(d, ['version', '--format', '{{.Server.Version}}']).split('.')[0]) < 25;
});

after(async () => {
  if (skip) return;
  await cleanup(daemons, work, TAG);
});

async function buildAndSave(on: BenchDaemon, c: CorpusCase): Promise<SavedImage> {
  const dir = join(work, on.name);
  if (c.base) docker(on, ['build', '-q', '-t', `${c.name}-base:1`, writeContext(join(dir, `${c.name}-base`), { Dockerfile: c.base })], LEGACY);
  const args = ['build', '-t', `cmp-${c.name}:1`];
  for (const [k, v] of Object.entries(c.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
  docker(on, [...args, writeContext(join(dir, c.name), c.files)], LEGACY);
  const out = join(dir, `${c.name}.tar`);
  docker(on, ['save', '-o', out, `cmp-${c.name}:1`]);
  return readSaved(out);
}

for (const c of corpus()) {
  test(`${c.name}: skiffd builds what dockerd builds`, { skip, timeout: 120_000 }, async () => {
    const want = await buildAndSave(d, c);
    const got = await buildAndSave(s, c);
    assert.deepEqual(differences(want, got, oldDockerd, c.fromImage), []);
  });
}

test('COPY --chmod: dockerd\'s classic builder refuses it, skiffd applies it as BuildKit does', { skip, timeout: 60_000 }, async () => {
  const files = { Dockerfile: 'FROM busybox\nCOPY --chmod=0751 a /a\nCOPY --chmod=600 --chown=7:8 dir /dir/\n', a: 'a\n', 'dir/b': 'b\n' };
  const ctx = writeContext(join(work, 'chmod'), files);
  const r = spawnSync('/usr/local/bin/docker', ['build', '-t', 'cmp-chmod:1', ctx], {
    encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL', env: { ...process.env, ...LEGACY, DOCKER_HOST: `unix://${d.socket}` },
  });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /the --chmod option requires BuildKit/);
  docker(s, ['build', '-t', 'cmp-chmod:1', ctx], LEGACY);
  const out = join(work, 'chmod.tar');
  docker(s, ['save', '-o', out, 'cmp-chmod:1']);
  const img = await readSaved(out);
  const entries = img.layers.slice(-2).flat().map((e) => `${e.path} ${e.mode} ${e.uid}:${e.gid}`);
  assert.ok(entries.includes('/a 751 0:0'), entries.join('\n'));
  assert.ok(entries.includes('/dir/b 600 7:8'), entries.join('\n'));
});
