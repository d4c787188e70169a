/**
 * A real skiffd on a temporary socket: ping headers, version bounds, /info, /events time ranges
 * and live streaming, /system/df. Every test stops its daemon and the helper checks nothing is
 * left behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon } from '../../helpers/daemon.js';

test('/_ping GET and HEAD carry Docker\'s headers', async () => {
  const d = await startDaemon();
  try {
    for (const method of ['GET', 'HEAD']) {
      const r = await d.request(method, '/_ping');
      assert.equal(r.status, 200);
      assert.equal(r.body, method === 'GET' ? 'OK' : '');
      assert.equal(r.headers['api-version'], '1.56');
      assert.equal(r.headers['builder-version'], '1');
      assert.equal(r.headers['docker-experimental'], 'false');
      assert.equal(r.headers['ostype'], 'linux');
      assert.equal(r.headers['swarm'], 'inactive');
      assert.equal(r.headers['cache-control'], 'no-cache, no-store, must-revalidate');
      assert.equal(r.headers['pragma'], 'no-cache');
      assert.match(String(r.headers['server']), /^Docker\/[0-9]+\.[0-9]+\.[0-9]+\S* \(linux\)$/);
      assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8');
    }
  } finally {
    await d.stop();
  }
});

test('/version across the API range, and outside it', async () => {
  const d = await startDaemon();
  try {
    for (const p of ['/v1.24/version', '/v1.56/version', '/version']) {
      const r = await d.request('GET', p);
      assert.equal(r.status, 200, p);
      const v = r.json();
      assert.equal(v.ApiVersion, '1.56');
      assert.equal(v.MinAPIVersion, '1.24');
      assert.equal(v.Os, 'linux');
      assert.ok(v.Version && v.GoVersion && v.KernelVersion && v.Arch && v.BuildTime && v.GitCommit);
      assert.equal(v.Components[0].Name, 'Engine');
    }
    const tooNew = await d.request('GET', '/v1.57/version');
    assert.equal(tooNew.status, 400);
    assert.deepEqual(tooNew.json(), { message: 'client version 1.57 is too new. Maximum supported API version is 1.56' });
    const tooOld = await d.request('GET', '/v1.23/version');
    assert.equal(tooOld.status, 400);
    // Below 1.24 moby answers in plain text, so old clients print it readably.
    assert.equal(tooOld.body, 'client version 1.23 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version\n');
    const nf = await d.request('GET', '/v1.40/nope');
    assert.equal(nf.status, 404);
    assert.deepEqual(nf.json(), { message: 'page not found' });
  } finally {
    await d.stop();
  }
});

test('/info has Docker\'s shape', async () => {
  const d = await startDaemon();
  try {
    const info = (await d.request('GET', '/v1.47/info')).json();
    assert.equal(info.Containers, 0);
    assert.equal(info.Images, 0);
    assert.equal(info.Driver, 'overlay2');
    assert.equal(info.DockerRootDir, d.dataRoot);
    assert.equal(info.OSType, 'linux');
    assert.equal(info.LoggingDriver, 'json-file');
    assert.equal(info.CgroupDriver, 'cgroupfs');
    assert.match(info.CgroupVersion, /^[12]$/);
    assert.ok(info.NCPU > 0 && info.MemTotal > 0);
    assert.match(info.ID, /^[0-9a-f-]{36}$/);
    assert.equal(info.DefaultRuntime, 'runc');
    assert.ok(info.Runtimes.runc);
    assert.ok(info.SecurityOptions.includes('name=seccomp,profile=builtin'));
    assert.ok(!Number.isNaN(Date.parse(info.SystemTime)));
    assert.equal(info.Swarm.LocalNodeState, 'inactive');
    // The engine ID persists across restarts with the same data-root: checked via the file.
    const df = await d.request('GET', '/system/df');
    assert.equal(df.status, 200);
    assert.deepEqual(df.json().Images, []);
  } finally {
    await d.stop();
  }
});

test('/events with since/until returns the buffered range; a stream sees new events', async () => {
  const before = Math.floor(Date.now() / 1000) - 1;
  const d = await startDaemon();
  try {
    const now = Math.ceil(Date.now() / 1000) + 1;
    await new Promise((r) => setTimeout(r, 50));
    const r = await d.request('GET', `/v1.47/events?since=${before}&until=${now}`);
    assert.equal(r.status, 200);
    const evs = r.body.trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(evs.some((e) => e.Type === 'daemon' && e.Action === 'start'), r.body);
    assert.ok(evs.every((e) => e.time >= before && e.time <= now));
    assert.equal(typeof evs[0].timeNano, 'number');
    const none = await d.request('GET', `/events?since=${before - 100}&until=${before - 50}`);
    assert.equal(none.body, '');
    const bad = await d.request('GET', '/events?since=abc');
    assert.equal(bad.status, 400);
    assert.match(bad.json().message, /^invalid value for 'since': invalid timestamp "abc"/);

    // A live stream, filtered to daemon events: a reload (SIGHUP) emits one while it runs.
    const res = await d.stream('GET', `/v1.51/events?filters=${encodeURIComponent('{"type":["daemon"]}')}`);
    assert.equal(res.statusCode, 200);
    const line = new Promise<string>((resolve) => {
      let buf = '';
      res.on('data', (c: Buffer) => {
        buf += c.toString();
        if (buf.includes('\n')) resolve(buf.split('\n')[0]!);
      });
    });
    d.proc.kill('SIGHUP');
    const ev = JSON.parse(await line);
    assert.equal(ev.Type, 'daemon');
    assert.equal(ev.Action, 'reload');
    res.destroy();
  } finally {
    await d.stop();
  }
});

test('container events carry the legacy id/status/from fields below API 1.52', async () => {
  // Only daemon events exist without the containers service; the encoder is unit-covered,
  // here we check the content types per version.
  const d = await startDaemon();
  try {
    const until = Math.ceil(Date.now() / 1000);
    const old = await d.request('GET', `/v1.51/events?since=1&until=${until}`);
    assert.equal(old.headers['content-type'], 'application/json');
    const cur = await d.request('GET', `/v1.52/events?since=1&until=${until}`);
    assert.equal(cur.headers['content-type'], 'application/jsonl');
    const nd = await d.request('GET', `/events?since=1&until=${until}`, { headers: { Accept: 'application/x-ndjson' } });
    assert.equal(nd.headers['content-type'], 'application/x-ndjson');
  } finally {
    await d.stop();
  }
});
