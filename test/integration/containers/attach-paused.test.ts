/**
 * Attaching to a paused container is refused with Docker's 409 and wording (moby checks it before
 * anything else), on both the hijacked and the websocket endpoint; after unpause it works.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, type TestDaemon } from '../../helpers/daemon.js';
import { importBusybox } from '../cli/harness.js';

let d: TestDaemon;

before(async () => {
  d = await startDaemon();
  await importBusybox(d.host);
});

after(async () => { await d.stop(); });

test('attach to a paused container: 409 "is paused, unpause the container before attach"', async () => {
  const c = await d.request('POST', '/containers/create?name=napper', { body: { Image: 'busybox', Cmd: ['sleep', '100'], HostConfig: { NetworkMode: 'none' } } });
  assert.equal(c.status, 201, c.body);
  try {
    assert.equal((await d.request('POST', '/containers/napper/start')).status, 204);
    assert.equal((await d.request('POST', '/containers/napper/pause')).status, 204);
    for (const path of ['/containers/napper/attach?stream=1&stdout=1', '/containers/napper/attach/ws?stream=1&stdout=1']) {
      const r = await d.request(path.includes('/ws') ? 'GET' : 'POST', path);
      assert.equal(r.status, 409, `${path}: ${r.body}`);
      assert.equal(r.json().message, 'container napper is paused, unpause the container before attach');
    }
    assert.equal((await d.request('POST', '/containers/napper/unpause')).status, 204);
    const ok = await d.request('POST', '/containers/napper/attach?stream=0&logs=1&stdout=1');
    assert.equal(ok.status, 200);
  } finally {
    await d.request('DELETE', '/containers/napper?force=1');
  }
});
