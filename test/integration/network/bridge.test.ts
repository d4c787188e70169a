/**
 * The network library end to end, as root, with plain processes in namespaces standing in for
 * containers: reachability and isolation, the embedded DNS, internal networks, published ports
 * through the userland proxy (127.0.0.1) and through DNAT (from a namespace playing an outside
 * host), port conflicts, IPAM and ports surviving a reload, and a clean host afterwards.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NetworkManager } from '../../../src/network/manager.js';
import type { NetworkOptions } from '../../../src/network/options.js';
import { createNetns, removeNetns, daemonNetnsPath } from '../../../src/network/netns.js';
import { assertClean, canRun, exec, freeBlocks, inNs, randomTag, snapshot, spawnInNs, stubUpstream } from './helpers.js';

function httpGet(port: number, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get({ host, port, path: '/', timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => { body += d; }).on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

const id = (c: string): string => c.repeat(64).slice(0, 64);

test('bridge networks end to end', { skip: canRun() }, async (t) => {
  const tag = randomTag();
  const root = mkdtempSync(join(tmpdir(), 'skiff-net-'));
  const execRoot = join(root, 'run');
  const netnsDir = join(execRoot, 'netns');
  const before = await snapshot(netnsDir);
  const [defNet, net1, net2, net3, outside] = freeBlocks(5);
  const upstream = await stubUpstream('10.99.99.99');
  const opts: NetworkOptions = {
    dataRoot: join(root, 'data'), execRoot, bridgeName: `skd${tag}`, bip: defNet!.replace('.0/24', '.1/24'),
    table: `skiff-t${tag}`, dnsUpstreams: [upstream.address], portRange: [41000 + Math.floor(Math.random() * 1000), 42999],
  };
  let m = new NetworkManager(opts);
  const www = join(root, 'www');
  mkdirSync(www);
  writeFileSync(join(www, 'index.html'), 'hello from A\n');
  const outNs = join(root, 'outside-ns');
  const outVeth = `sko${tag}`;
  let httpd: ReturnType<typeof spawnInNs> | undefined;
  try {
    await m.init();
    assert.equal(m.firewallKind, 'nftables');
    await m.createNetwork({ name: `u1${tag}`, ipam: { config: [{ subnet: net1! }] }, options: { 'com.docker.network.bridge.name': `sk1${tag}` } });
    await m.createNetwork({ name: `u2${tag}`, ipam: { config: [{ subnet: net2! }] } });
    await m.createNetwork({ name: `u3${tag}`, internal: true, ipam: { config: [{ subnet: net3! }] } });
    await assert.rejects(m.createNetwork({ name: `u1${tag}` }), /network with name u1\S+ already exists/);
    await assert.rejects(m.createNetwork({ name: `ov${tag}`, ipam: { config: [{ subnet: net1! }] } }), /Pool overlaps/);

    const a = await m.attach({ containerId: id('a'), name: 'alpha', hostname: 'alpha', networkMode: `u1${tag}`, portBindings: { '80/tcp': [{}] } });
    const b = await m.attach({ containerId: id('b'), name: 'bravo', hostname: 'bravo', networkMode: `u1${tag}`, endpoints: { [`u1${tag}`]: { aliases: ['db'] } } });
    const c = await m.attach({ containerId: id('c'), name: 'charlie', hostname: 'charlie', networkMode: `u2${tag}` });
    const d = await m.attach({ containerId: id('d'), name: 'delta', hostname: 'delta', networkMode: `u3${tag}` });
    const ipA = a.endpoints[0]!.ip;
    const ipB = b.endpoints[0]!.ip;

    await t.test('endpoint setup: eth0, MAC, default route', async () => {
      const r = await inNs(a.netnsPath!, 'ip -o addr show eth0; ip -o link show eth0; ip route');
      assert.match(r.out, new RegExp(`inet ${ipA.replace(/\./g, '\\.')}/24`));
      assert.match(r.out, new RegExp(a.endpoints[0]!.mac));
      assert.match(r.out, new RegExp(`default via ${a.endpoints[0]!.gateway.replace(/\./g, '\\.')} dev eth0`));
      assert.match(await (await exec(`ip -o link show ${a.endpoints[0]!.hostVeth}`)).stdout, new RegExp(`master sk1${tag}`));
    });

    await t.test('two endpoints on one network reach each other (ping, nc)', async () => {
      assert.equal((await inNs(a.netnsPath!, `busybox ping -c1 -W2 ${ipB}`)).code, 0);
      const listener = spawnInNs(b.netnsPath!, ['busybox', 'nc', '-l', '-p', '7000']);
      const exited = new Promise((r) => listener.child.on('exit', r));
      await new Promise((r) => setTimeout(r, 300));
      const send = await inNs(a.netnsPath!, `echo through | busybox nc -w 2 ${ipB} 7000`);
      assert.equal(send.code, 0, send.out);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      listener.child.kill();
      assert.equal(listener.output(), 'through\n');
    });

    await t.test('embedded DNS: names, aliases, short ids, forwarding to the upstream', async () => {
      const r = await inNs(a.netnsPath!, 'busybox nslookup bravo 127.0.0.11; busybox nslookup db 127.0.0.11; busybox nslookup bbbbbbbbbbbb 127.0.0.11');
      assert.equal(r.out.split(`Address: ${ipB}`).length - 1, 3, r.out);
      const fwd = await inNs(a.netnsPath!, 'busybox nslookup upstream.test 127.0.0.11');
      assert.match(fwd.out, /Address: 10\.99\.99\.99/);
      assert.ok(upstream.queries.includes('upstream.test'));
      // resolv.conf points at the embedded DNS; with it mounted, ping resolves by name.
      const byName = await inNs(a.netnsPath!, `unshare -m sh -c 'mount --bind ${a.resolvConfPath} /etc/resolv.conf && busybox ping -c1 -W2 bravo'`);
      assert.equal(byName.code, 0, byName.out);
      // Not from another network.
      const other = await inNs(c.netnsPath!, 'busybox nslookup bravo 127.0.0.11');
      assert.doesNotMatch(other.out, new RegExp(`Address: ${ipB}`));
    });

    await t.test('isolation between networks; internal network has no way out', async () => {
      assert.notEqual((await inNs(c.netnsPath!, `busybox ping -c1 -W1 ${ipA}`)).code, 0);
      assert.notEqual((await inNs(d.netnsPath!, `busybox ping -c1 -W1 ${ipA}`)).code, 0);
      const route = await inNs(d.netnsPath!, 'ip route; ip route get 1.1.1.1');
      assert.doesNotMatch(route.out, /default/);
      assert.match(route.out, /unreachable/i);
      const ruleset = (await exec(`nft list table ip skiff-t${tag}`)).stdout;
      assert.match(ruleset, /iifname "(br-[0-9a-f]+)" oifname != "\1" drop/);
    });

    await t.test('published port: proxy on 127.0.0.1 and DNAT from an outside host', async () => {
      httpd = spawnInNs(a.netnsPath!, ['busybox', 'httpd', '-f', '-vv', '-p', '80', '-h', www]);
      await new Promise((r) => setTimeout(r, 300));
      const port = a.ports[0]!.hostPort;
      assert.ok(port >= opts.portRange![0] && port <= opts.portRange![1]);
      assert.equal(await httpGet(port), 'hello from A\n');
      // An outside host: a namespace behind a veth, talking to the host's address on that link.
      const [o1, o2] = [outside!.replace('.0/24', '.1'), outside!.replace('.0/24', '.2')];
      await createNetns(outNs, [`link add eth0 type veth peer name ${outVeth} netns ${daemonNetnsPath()}`, `addr add ${o2}/24 dev eth0`, 'link set eth0 up']);
      await exec(`ip addr add ${o1}/24 dev ${outVeth} && ip link set ${outVeth} up`);
      const r = await inNs(outNs, `busybox wget -q -O - http://${o1}:${port}/`);
      assert.equal(r.out, 'hello from A\n');
      // The DNAT path keeps the client's address; the proxy would show the gateway's.
      assert.match(httpd.output(), new RegExp(`${o2.replace(/\./g, '\\.')}\\]?:\\d+: url:/`));
    });

    await t.test('port conflicts: skiff-held and held by another program', async () => {
      const port = a.ports[0]!.hostPort;
      await assert.rejects(
        m.attach({ containerId: id('e'), name: 'echo', hostname: 'echo', networkMode: `u1${tag}`, portBindings: { '80/tcp': [{ HostPort: String(port) }] } }),
        new RegExp(`Bind for 0\\.0\\.0\\.0:${port} failed: port is already allocated`),
      );
      const squatter = createServer();
      await new Promise<void>((r) => squatter.listen(0, '0.0.0.0', () => r()));
      const taken = (squatter.address() as { port: number }).port;
      await assert.rejects(
        m.attach({ containerId: id('e'), name: 'echo', hostname: 'echo', networkMode: `u1${tag}`, portBindings: { '80/tcp': [{ HostPort: String(taken) }] } }),
        /address already in use/,
      );
      squatter.close();
      assert.equal(m.sandboxes.get(id('e')), undefined, 'a failed attach leaves nothing');
    });

    await t.test('connect and disconnect a running sandbox, with --ip and --alias', async () => {
      const ip = net1!.replace('.0/24', '.200');
      const ep = await m.connect(id('c'), `u1${tag}`, { ipv4Address: ip, aliases: ['cee'] });
      assert.equal(ep.ifName, 'eth1');
      assert.equal((await inNs(c.netnsPath!, `busybox ping -c1 -W2 ${ipA}`)).code, 0);
      assert.match((await inNs(a.netnsPath!, 'busybox nslookup cee 127.0.0.11')).out, new RegExp(`Address: ${ip}`));
      await assert.rejects(m.connect(id('d'), `u2${tag}`, { ipv4Address: net2!.replace('.0/24', '.2') }), /Address already in use/);
      await m.disconnect(id('c'), `u1${tag}`);
      assert.notEqual((await inNs(c.netnsPath!, `busybox ping -c1 -W1 ${ipA}`)).code, 0);
    });

    await t.test('none, host and container modes', async () => {
      const n = await m.attach({ containerId: id('f'), name: 'fox', hostname: 'fox', networkMode: 'none' });
      assert.doesNotMatch((await inNs(n.netnsPath!, 'ip -o link')).out, /eth0/);
      const h = await m.attach({ containerId: id('1'), name: 'hotel', hostname: 'hotel', networkMode: 'host' });
      assert.equal(h.netnsPath, undefined);
      const s = await m.attach({ containerId: id('2'), name: 'side', hostname: 'side', networkMode: `container:${id('a')}` });
      assert.equal(s.netnsPath, a.netnsPath);
      await m.detach(id('f'));
      await m.detach(id('1'));
      await m.detach(id('2'));
    });

    await t.test('reload: IPAM, ports, proxies and rules come back without duplicates', async () => {
      const rulesBefore = (await exec(`nft list table ip skiff-t${tag}`)).stdout;
      await m.shutdown();
      m = new NetworkManager(opts);
      await m.init();
      assert.deepEqual(m.warnings, []);
      assert.equal((await exec(`nft list table ip skiff-t${tag}`)).stdout, rulesBefore);
      assert.equal(await httpGet(a.ports[0]!.hostPort), 'hello from A\n');
      const g = await m.attach({ containerId: id('9'), name: 'golf', hostname: 'golf', networkMode: `u1${tag}` });
      assert.ok(![ipA, ipB].includes(g.endpoints[0]!.ip), 'no duplicate address after reload');
      assert.match((await inNs(a.netnsPath!, 'busybox nslookup golf 127.0.0.11')).out, new RegExp(`Address: ${g.endpoints[0]!.ip}`));
      await assert.rejects(m.removeNetwork(`u1${tag}`), /has active endpoints/);
      await assert.rejects(m.removeNetwork('bridge'), /bridge is a pre-defined network and cannot be removed/);
    });
  } finally {
    httpd?.child.kill();
    upstream.close();
    removeNetns(outNs);
    await exec(`ip link del ${outVeth}`).catch(() => undefined);
    const veths = [...m.sandboxes.byContainer.values()].flatMap((sb) => sb.endpoints.map((e) => e.hostVeth)).filter(Boolean);
    await m.destroyAll();
    try { await assertClean(before, netnsDir, tag, veths); } finally { rmSync(root, { recursive: true, force: true }); }
  }
});
