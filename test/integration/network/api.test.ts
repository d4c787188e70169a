/**
 * The network API routes over a real network library (as root): Docker's shapes and messages
 * for create, inspect, list filters, connect/disconnect through a fake container directory,
 * remove and prune — and a clean host afterwards.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NetworkManager } from '../../../src/network/manager.js';
import { NetworkService } from '../../../src/services/networks/index.js';
import type { ContainerDirectory } from '../../../src/services/networks/index.js';
import { networkRoutes } from '../../../src/api/routes/networks.js';
import type { ApiRequest, ApiResponse, Method } from '../../../src/api/route.js';
import { isEngineError } from '../../../src/common/errors.js';
import { assertClean, canRun, freeBlocks, randomTag, snapshot } from './helpers.js';

interface Reply { status: number; body: unknown }

function call(routes: ReturnType<typeof networkRoutes>, method: Method, path: string, body?: unknown, query = ''): Promise<Reply> {
  for (const r of routes) {
    if (r.method !== method) continue;
    const names: string[] = [];
    const re = new RegExp('^' + r.path.replace(/\{(\w+)\}/g, (_, n: string) => { names.push(n); return '([^/]+)'; }) + '$');
    const m = re.exec(path);
    if (!m) continue;
    const params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
    let reply: Reply = { status: 0, body: undefined };
    const req = { method, path, params, query: new URLSearchParams(query), headers: {}, version: '1.47', json: async () => body } as unknown as ApiRequest;
    const res = {
      json: (status: number, b: unknown) => { reply = { status, body: b }; },
      empty: (status = 204) => { reply = { status, body: undefined }; },
    } as unknown as ApiResponse;
    return r.handler(req, res).then(() => reply, (e: unknown) => {
      if (isEngineError(e)) return { status: -1, body: { kind: e.kind, message: e.message } };
      throw e;
    });
  }
  throw new Error(`no route ${method} ${path}`);
}

test('network API routes', { skip: canRun() }, async () => {
  const tag = randomTag();
  const root = mkdtempSync(join(tmpdir(), 'skiff-netapi-'));
  const before = await snapshot(join(root, 'run', 'netns'));
  const [def, sub] = freeBlocks(2);
  const m = new NetworkManager({ dataRoot: join(root, 'data'), execRoot: join(root, 'run'), bridgeName: `ska${tag}`, bip: def!.replace('.0/24', '.1/24'), table: `skiff-a${tag}`, dnsUpstreams: ['127.0.0.1:9'] });
  const recorded: string[] = [];
  const containers: ContainerDirectory = {
    find: (x) => (x === 'web' || x === 'c'.repeat(64) ? { id: 'c'.repeat(64), name: 'web', running: true } : x === 'idle' ? { id: 'd'.repeat(64), name: 'idle', running: false } : undefined),
    recordConnect: async (id, n) => { recorded.push(`+${id.slice(0, 1)}:${n.name}`); },
    recordDisconnect: async (id, n) => { recorded.push(`-${id.slice(0, 1)}:${n.name}`); },
  };
  const svc = new NetworkService(m, containers);
  const routes = networkRoutes(svc);
  try {
    await svc.restore();
    const created = await call(routes, 'POST', '/networks/create', { Name: `api${tag}`, Labels: { team: 'x' }, IPAM: { Config: [{ Subnet: sub, IPRange: sub!.replace('.0/24', '.128/25') }] } });
    assert.equal(created.status, 201);
    const netId = (created.body as { Id: string }).Id;
    assert.match(netId, /^[0-9a-f]{64}$/);
    assert.deepEqual((await call(routes, 'POST', '/networks/create', { Name: `api${tag}` })).body, { kind: 'conflict', message: `network with name api${tag} already exists` });
    assert.equal(((await call(routes, 'POST', '/networks/create', { Name: `bad${tag}`, IPAM: { Config: [{ Subnet: '10.0.0.0/33' }] } })).body as { kind: string }).kind, 'invalid-argument');

    await m.attach({ containerId: 'c'.repeat(64), name: 'web', hostname: 'web', networkMode: 'bridge' });
    const conn = await call(routes, 'POST', `/networks/${netId.slice(0, 10)}/connect`, { Container: 'web', EndpointConfig: { Aliases: ['w'] } });
    assert.equal(conn.status, 200);
    await call(routes, 'POST', `/networks/api${tag}/connect`, { Container: 'idle' });
    assert.deepEqual(recorded, [`+c:api${tag}`, `+d:api${tag}`]);
    assert.deepEqual((await call(routes, 'POST', `/networks/api${tag}/connect`, { Container: 'nope' })).body, { kind: 'not-found', message: 'No such container: nope' });

    const inspect = (await call(routes, 'GET', `/networks/api${tag}`)).body as Record<string, any>;
    assert.equal(inspect.Scope, 'local');
    assert.equal(inspect.Driver, 'bridge');
    assert.deepEqual(inspect.IPAM.Config, [{ Subnet: sub, Gateway: sub!.replace('.0/24', '.1'), IPRange: sub!.replace('.0/24', '.128/25') }]);
    const ctr = inspect.Containers['c'.repeat(64)];
    assert.equal(ctr.Name, 'web');
    assert.equal(ctr.IPv4Address, sub!.replace('.0/24', '.128/24'));
    assert.match(ctr.MacAddress, /^02:42:/);

    const names = async (q: string): Promise<string[]> => ((await call(routes, 'GET', '/networks', undefined, `filters=${encodeURIComponent(q)}`)).body as Array<{ Name: string }>).map((n) => n.Name).sort();
    assert.deepEqual(await names('{"type":["builtin"]}'), ['bridge', 'host', 'none']);
    assert.deepEqual(await names('{"label":{"team=x":true}}'), [`api${tag}`]);
    assert.deepEqual(await names('{"driver":["null"]}'), ['none']);
    assert.deepEqual(await names(`{"name":["api${tag}"],"dangling":["false"]}`), [`api${tag}`]);

    assert.deepEqual((await call(routes, 'DELETE', '/networks/host')).body, { kind: 'forbidden', message: 'host is a pre-defined network and cannot be removed' });
    assert.match(((await call(routes, 'DELETE', `/networks/api${tag}`)).body as { message: string }).message, /has active endpoints/);
    await call(routes, 'POST', `/networks/api${tag}/disconnect`, { Container: 'web' });
    assert.deepEqual(svc.endpointSettings('c'.repeat(64))['bridge']?.['Gateway'], def!.replace('.0/24', '.1'));
    const pruned = await call(routes, 'POST', '/networks/prune');
    assert.deepEqual(pruned.body, { NetworksDeleted: [`api${tag}`] });
    assert.equal(((await call(routes, 'GET', `/networks/api${tag}`)).body as { kind: string }).kind, 'not-found');
  } finally {
    const veths = [...m.sandboxes.byContainer.values()].flatMap((sb) => sb.endpoints.map((e) => e.hostVeth)).filter(Boolean);
    await m.destroyAll();
    try { await assertClean(before, join(root, 'run', 'netns'), tag, veths); } finally { rmSync(root, { recursive: true, force: true }); }
  }
});
