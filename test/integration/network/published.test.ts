/**
 * A published port of a real container, through a real skiffd and the stock docker CLI:
 * `busybox httpd` started with `-p` is reached from 127.0.0.1 (the userland proxy) and from a
 * namespace playing an outside host (DNAT, which keeps the client's address); the port is served
 * again after a skiffd crash and restart, and closed once the container is removed. Traffic
 * stays on links this test creates.
 * Skipped (with the reason printed) where the docker CLI is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon } from '../../helpers/daemon.js';
import { dockerFor, HAVE_DOCKER, importBusybox, waitUntil } from '../../compat/docker-helpers.js';
import { createNetns, removeNetns, daemonNetnsPath } from '../../../src/network/netns.js';
import { canRun, exec, freeBlocks, inNs, randomTag } from './helpers.js';

const skip = canRun() || (HAVE_DOCKER ? false : 'the stock docker CLI (/usr/local/bin/docker) is not installed');

function httpGet(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path: '/i', timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => { body += d; }).on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

test('busybox httpd behind -p is reached from 127.0.0.1 and from an outside host', { skip }, async () => {
  const tag = randomTag();
  const d = await startDaemon();
  const cfg = mkdtempSync(join(tmpdir(), 'skiff-dockercfg-'));
  const docker = dockerFor(d.host, cfg);
  const outNs = join(cfg, 'outside-ns');
  const outVeth = `spo${tag}`;
  const [outside] = freeBlocks(1);
  const [o1, o2] = [outside!.replace('.0/24', '.1'), outside!.replace('.0/24', '.2')];
  try {
    importBusybox(docker);
    let r = docker(['run', '-d', '--name', 'web', '-p', '80', 'busybox', 'sh', '-c', 'echo served > /tmp/i; exec httpd -f -vv -p 80 -h /tmp']);
    assert.equal(r.status, 0, r.stderr);
    r = docker(['port', 'web', '80/tcp']);
    const m = /^0\.0\.0\.0:(\d+)$/m.exec(r.stdout);
    assert.ok(m, `docker port: ${r.stdout} ${r.stderr}`);
    const port = Number(m[1]);

    let body = '';
    for (let i = 0; i < 50 && body !== 'served\n'; i++) {
      body = await httpGet(port).catch(() => '');
      if (body !== 'served\n') await new Promise((res) => setTimeout(res, 100));
    }
    assert.equal(body, 'served\n', 'from 127.0.0.1 through the userland proxy');

    await createNetns(outNs, [`link add eth0 type veth peer name ${outVeth} netns ${daemonNetnsPath()}`, `addr add ${o2}/24 dev eth0`, 'link set eth0 up']);
    await exec(`ip addr add ${o1}/24 dev ${outVeth} && ip link set ${outVeth} up`);
    const out = await inNs(outNs, `busybox wget -q -O - http://${o1}:${port}/i`);
    assert.equal(out.out, 'served\n', 'from the outside host');
    // DNAT keeps the outside client's address; the proxy would have shown the bridge gateway's.
    const logs = (): string => { const l = docker(['logs', 'web']); return l.stdout + l.stderr; };
    await waitUntil(() => new RegExp(`${o2.replace(/\./g, '\\.')}\\]?:\\d+: url:/i`).test(logs()), 5000, `the outside client in the httpd log:\n${logs()}`);

    // The container outlives a skiffd crash; the restarted daemon serves its port again.
    await d.crashAndRestart();
    assert.equal(await httpGet(port), 'served\n', 'from 127.0.0.1 after a daemon restart');
    assert.equal((await inNs(outNs, `busybox wget -q -O - http://${o1}:${port}/i`)).out, 'served\n', 'from outside after a daemon restart');

    r = docker(['rm', '-f', 'web']);
    assert.equal(r.status, 0, r.stderr);
    await assert.rejects(httpGet(port), /ECONNREFUSED/);
    const after = await inNs(outNs, `busybox wget -q -O - http://${o1}:${port}/i`, 5000);
    assert.notEqual(after.code, 0, 'no longer reachable from outside');
  } finally {
    removeNetns(outNs);
    await exec(`ip link del ${outVeth}`).catch(() => undefined);
    const ids = docker(['ps', '-aq']).stdout.split('\n').filter(Boolean);
    if (ids.length) docker(['rm', '-f', ...ids]);
    await d.stop();
    rmSync(cfg, { recursive: true, force: true });
  }
});
