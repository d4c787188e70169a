/**
 * The iptables firewall backend end to end, as root, with the network library forced onto
 * iptables and processes in namespaces standing in for containers: NAT out to a namespace
 * playing an outside host, isolation between two networks, a published port reached through
 * DNAT from that outside host, and `iptables-save` exactly as before once every container and
 * network is gone. All traffic stays between namespaces and links this test creates.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NetworkManager } from '../../../src/network/manager.js';
import { chainPrefix } from '../../../src/network/iptables-rules.js';
import { createNetns, removeNetns, daemonNetnsPath } from '../../../src/network/netns.js';
import { exec, freeBlocks, inNs, randomTag, spawnInNs } from './helpers.js';

function canRun(): string | false {
  if (process.getuid?.() !== 0) return 'needs root';
  for (const t of ['iptables', 'iptables-save', 'iptables-restore']) {
    if (spawnSync(t, ['--version'], { stdio: 'ignore' }).status !== 0) return `needs ${t}`;
  }
  for (const t of ['/usr/bin/busybox', '/usr/sbin/ip', '/usr/bin/nsenter', '/usr/bin/unshare']) if (!existsSync(t)) return `needs ${t}`;
  return false;
}

/** iptables-save without its comment lines and with counters zeroed (traffic moves them). */
function ipSave(): string {
  const r = spawnSync('iptables-save', [], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => !l.startsWith('#')).join('\n').replace(/\[\d+:\d+\]/g, '[0:0]');
}

const id = (c: string): string => c.repeat(64).slice(0, 64);

test('iptables backend: NAT out, isolation, DNAT, nothing left behind', { skip: canRun() }, async (t) => {
  const tag = randomTag();
  const root = mkdtempSync(join(tmpdir(), 'skiff-ipt-'));
  const table = `skiff-i${tag}`;
  const prefix = chainPrefix(table);
  // iptables-nft creates the filter and nat tables on first use and never removes them; so that
  // "as before" means skiff's chains only, they are made to exist first (policy ACCEPT is what a
  // table that does not exist yet has) and removed again at the end if this test made them.
  const made: string[] = [];
  for (const [tbl, chain] of [['filter', 'FORWARD'], ['nat', 'POSTROUTING']] as const) {
    if (!ipSave().includes(`*${tbl}\n`)) { await exec(`iptables -w -t ${tbl} -P ${chain} ACCEPT`); made.push(tbl); }
  }
  const before = ipSave();
  const [defNet, net1, net2, outside] = freeBlocks(4);
  const m = new NetworkManager({
    dataRoot: join(root, 'data'), execRoot: join(root, 'run'), bridgeName: `ski${tag}`, bip: defNet!.replace('.0/24', '.1/24'),
    table, firewall: 'iptables', dnsUpstreams: ['127.0.0.1:9'], portRange: [43000 + Math.floor(Math.random() * 1000), 44999],
  });
  const outNs = join(root, 'outside-ns');
  const outVeth = `sio${tag}`;
  const [o1, o2] = [outside!.replace('.0/24', '.1'), outside!.replace('.0/24', '.2')];
  const www = join(root, 'www');
  mkdirSync(www);
  writeFileSync(join(www, 'index.html'), 'hello through iptables\n');
  const servers: ReturnType<typeof spawnInNs>[] = [];
  try {
    await m.init();
    assert.equal(m.firewallKind, 'iptables');
    await m.createNetwork({ name: `i1${tag}`, ipam: { config: [{ subnet: net1! }] } });
    await m.createNetwork({ name: `i2${tag}`, ipam: { config: [{ subnet: net2! }] } });
    const a = await m.attach({ containerId: id('a'), name: 'alpha', hostname: 'alpha', networkMode: `i1${tag}`, portBindings: { '80/tcp': [{}] } });
    const b = await m.attach({ containerId: id('b'), name: 'bravo', hostname: 'bravo', networkMode: `i1${tag}` });
    const c = await m.attach({ containerId: id('c'), name: 'charlie', hostname: 'charlie', networkMode: `i2${tag}` });
    // The outside host: a namespace behind a veth; it knows no route to any container subnet.
    await createNetns(outNs, [`link add eth0 type veth peer name ${outVeth} netns ${daemonNetnsPath()}`, `addr add ${o2}/24 dev eth0`, 'link set eth0 up']);
    await exec(`ip addr add ${o1}/24 dev ${outVeth} && ip link set ${outVeth} up`);
    const save = ipSave();
    for (const line of [`-A FORWARD -j ${prefix}-FORWARD`, `-A PREROUTING -j ${prefix}-PREROUTING`, `-A POSTROUTING -j ${prefix}-POSTROUTING`]) {
      assert.equal(save.split('\n').filter((l) => l === line).length, 1, `one ${line}:\n${save}`);
    }

    await t.test('NAT out: a container reaches the outside host from the host address', async () => {
      const httpd = spawnInNs(outNs, ['busybox', 'httpd', '-f', '-vv', '-p', '8081', '-h', www]);
      servers.push(httpd);
      await new Promise((r) => setTimeout(r, 300));
      const r = await inNs(a.netnsPath!, `busybox wget -q -O - http://${o2}:8081/`);
      assert.equal(r.out, 'hello through iptables\n');
      // Masqueraded: the outside host saw the host's address on its link, not the container's.
      assert.match(httpd.output(), new RegExp(`${o1.replace(/\./g, '\\.')}\\]?:\\d+: url:/`));
      assert.doesNotMatch(httpd.output(), new RegExp(a.endpoints[0]!.ip.replace(/\./g, '\\.')));
    });

    await t.test('isolation: another network cannot reach the container, its own network can', async () => {
      const ipA = a.endpoints[0]!.ip;
      assert.equal((await inNs(b.netnsPath!, `busybox ping -c1 -W2 ${ipA}`)).code, 0);
      assert.notEqual((await inNs(c.netnsPath!, `busybox ping -c1 -W1 ${ipA}`)).code, 0);
      // Without skiff's FORWARD chain the host would route between the two bridges.
      await exec(`iptables -w -D FORWARD -j ${prefix}-FORWARD`);
      try {
        assert.equal((await inNs(c.netnsPath!, `busybox ping -c1 -W2 ${ipA}`)).code, 0, 'the drop came from skiff\'s chain');
      } finally {
        await exec(`iptables -w -I FORWARD 1 -j ${prefix}-FORWARD`);
      }
      assert.notEqual((await inNs(c.netnsPath!, `busybox ping -c1 -W1 ${ipA}`)).code, 0);
    });

    await t.test('published port: DNAT from the outside host keeps the client address', async () => {
      const httpd = spawnInNs(a.netnsPath!, ['busybox', 'httpd', '-f', '-vv', '-p', '80', '-h', www]);
      servers.push(httpd);
      await new Promise((r) => setTimeout(r, 300));
      const port = a.ports[0]!.hostPort;
      const r = await inNs(outNs, `busybox wget -q -O - http://${o1}:${port}/`);
      assert.equal(r.out, 'hello through iptables\n');
      assert.match(httpd.output(), new RegExp(`${o2.replace(/\./g, '\\.')}\\]?:\\d+: url:/`));
      assert.match(ipSave(), new RegExp(`-A ${prefix}-PUBLISHED ! -i \\S+ -p tcp -m tcp --dport ${port} -j DNAT --to-destination ${a.endpoints[0]!.ip}:80`));
    });

    await t.test('removing containers and networks leaves iptables as it was', async () => {
      for (const s of servers.splice(0)) s.child.kill();
      for (const x of [a, b, c]) await m.detach(x.containerId);
      await m.removeNetwork(`i1${tag}`);
      await m.removeNetwork(`i2${tag}`);
      assert.doesNotMatch(ipSave(), /DNAT/, 'no published port left');
      await m.destroyAll();
      assert.equal(ipSave(), before);
    });
  } finally {
    for (const s of servers) s.child.kill();
    removeNetns(outNs);
    await exec(`ip link del ${outVeth}`).catch(() => undefined);
    await m.destroyAll().catch(() => undefined);
    for (const tbl of made) {
      if (!/^-A /m.test(spawnSync('iptables-save', ['-t', tbl], { encoding: 'utf8' }).stdout)) spawnSync('nft', ['delete', 'table', 'ip', tbl], { stdio: 'ignore' });
    }
    rmSync(root, { recursive: true, force: true });
  }
});
