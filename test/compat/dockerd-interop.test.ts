/**
 * Interoperability with a real dockerd (Debian's docker.io), only where it is installed: an image
 * saved by skiffd loads and runs in dockerd and back, and the skiff CLI drives dockerd. Skipped,
 * with the reason printed, where dockerd or the docker CLI is absent. Daemons are started with
 * the benchmarks' launcher (private roots, own bridges, no iptables rules) and fully cleaned up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cleanup, docker, startDockerd, startSkiffd, workspace, type BenchDaemon } from '../../bench/lib.js';

const haveDockerd = spawnSync('which', ['dockerd']).status === 0 && existsSync('/usr/local/bin/docker');
const skip = haveDockerd ? false : 'dockerd (Debian docker.io) or the docker CLI is not installed';
if (skip) console.log(`# skipping dockerd interoperability tests: ${skip}`);

test('save/load between skiffd and dockerd both ways; skiff drives dockerd', { skip, timeout: 180_000 }, async () => {
  const { work, tar } = workspace('skiff-interop-');
  const daemons: BenchDaemon[] = [];
  try {
    const s = await startSkiffd(work, 'iop', '10.238.14.1/24');
    daemons.push(s);
    const d = (await startDockerd(work, 'iop', '10.238.15.1/24'))!;
    daemons.push(d);
    docker(s, ['import', '-c', 'CMD ["echo","made by skiffd"]', tar, 'moved:1']);
    const out = join(work, 'moved.tar');
    docker(s, ['save', '-o', out, 'moved:1']);
    assert.match(docker(d, ['load', '-i', out]), /Loaded image: moved:1/);
    assert.equal(docker(d, ['run', '--rm', '--network', 'none', 'moved:1']), 'made by skiffd\n');
    const back = join(work, 'back.tar');
    docker(d, ['save', '-o', back, 'moved:1']);
    docker(s, ['rmi', 'moved:1']);
    assert.match(docker(s, ['load', '-i', back]), /Loaded image: moved:1/);
    assert.equal(docker(s, ['run', '--rm', '--network', 'none', 'moved:1']), 'made by skiffd\n');
    const skiff = (args: string[]) => spawnSync(process.execPath, [resolve('bin/skiff'), ...args], {
      encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL', env: { ...process.env, DOCKER_HOST: `unix://${d.socket}` },
    });
    let r = skiff(['run', '--rm', '--network', 'none', 'moved:1']);
    assert.equal(r.stdout, 'made by skiffd\n', r.stderr);
    r = skiff(['run', '--rm', '--network', 'none', 'moved:1', 'sh', '-c', 'exit 3']);
    assert.equal(r.status, 3);
    assert.match(skiff(['images']).stdout, /^moved\s+1\s+/m);
  } finally {
    await cleanup(daemons, work, 'iop');
  }
});
