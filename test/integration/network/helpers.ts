/**
 * Helpers for the network integration tests: root and tool checks, a free 10.x.y.0/24 block
 * that clashes with no host route, processes in a namespace (nsenter + busybox), a snapshot of
 * the host's links, namespaces and nft ruleset to prove a test left nothing behind, and a stub
 * DNS upstream on 127.0.0.1 so the embedded DNS never forwards outside this machine.
 */
import { exec as execCb, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { existsSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import dnsPacket from 'dns-packet';
import { hostRoutes } from '../../../src/network/pools.js';
import { overlaps, parseCidr } from '../../../src/network/ipv4.js';

export const exec = promisify(execCb);

export function canRun(): string | false {
  if (process.getuid?.() !== 0) return 'needs root';
  for (const t of ['/usr/bin/busybox', '/usr/sbin/ip', '/usr/sbin/nft', '/usr/bin/nsenter', '/usr/bin/unshare']) {
    if (!existsSync(t)) return `needs ${t}`;
  }
  return false;
}

/** `count` consecutive free /24s under 10.<second>.0.0/16, chosen to avoid the host's routes. */
export function freeBlocks(count: number): string[] {
  const routes = hostRoutes();
  for (let tries = 0; tries < 200; tries++) {
    const second = 100 + Math.floor(Math.random() * 150);
    const third = Math.floor(Math.random() * (250 - count));
    const blocks = Array.from({ length: count }, (_, i) => `10.${second}.${third + i}.0/24`);
    if (blocks.every((b) => !routes.some((r) => overlaps(r, parseCidr(b))))) return blocks;
  }
  throw new Error('no free test subnet');
}

/** Runs a shell command in a namespace; resolves to {code, out}. Never throws on exit codes. */
export async function inNs(netns: string, cmd: string, timeoutMs = 10_000): Promise<{ code: number; out: string }> {
  try {
    const r = await exec(`nsenter --net=${netns} sh -c '${cmd.replace(/'/g, `'\\''`)}'`, { timeout: timeoutMs });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : 1, out: (err.stdout ?? '') + (err.stderr ?? '') };
  }
}

/** A long-running process in a namespace (busybox httpd, nc -l); its output is collected. */
export function spawnInNs(netns: string, args: string[]): { child: ChildProcess; output: () => string } {
  // stdin stays an open pipe: busybox nc -l shuts the connection down when its stdin reaches EOF,
  // which with /dev/null could happen before it has read what the peer sent.
  const child = spawn('nsenter', [`--net=${netns}`, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.on('exit', () => child.stdin?.destroy());
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => { out += d; });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { out += d; });
  return { child, output: () => out };
}

export interface HostSnapshot {
  links: string[];
  netns: string[];
  ruleset: string;
}

export async function snapshot(netnsDir: string): Promise<HostSnapshot> {
  const links = (await exec('ip -o link')).stdout.split('\n').filter(Boolean).map((l) => l.split(':')[1]!.trim().split('@')[0]!).sort();
  const netns = existsSync(netnsDir) ? readdirSync(netnsDir).sort() : [];
  const ruleset = (await exec('nft list ruleset')).stdout;
  return { links, netns, ruleset };
}

/**
 * Asserts the host is as before. Other test files may run in parallel and add or remove their
 * own links and tables meanwhile, so differences are allowed only when they are not ours (our
 * tag, our veths); with no foreign change, the ruleset must be byte-for-byte what it was.
 */
export async function assertClean(before: HostSnapshot, netnsDir: string, tag: string, ourVeths: Iterable<string>): Promise<void> {
  const after = await snapshot(netnsDir);
  const ours = new Set(ourVeths);
  const leftover = after.links.filter((l) => !before.links.includes(l) && (l.includes(tag) || ours.has(l)));
  if (leftover.length) throw new Error(`links left behind: ${leftover.join(' ')}`);
  if (after.netns.length) throw new Error(`namespaces left behind: ${after.netns.join(' ')}`);
  if (after.ruleset.includes(tag)) throw new Error(`nft rules left behind:\n${after.ruleset}`);
  const foreign = after.links.filter((l) => !before.links.includes(l)).length + before.links.filter((l) => !after.links.includes(l)).length;
  if (foreign === 0 && after.ruleset !== before.ruleset) throw new Error(`ruleset changed:\n${after.ruleset}`);
}

/** A DNS server on 127.0.0.1 answering every A query with `answer`. */
export async function stubUpstream(answer: string): Promise<{ address: string; close: () => void; queries: string[] }> {
  const sock: Socket = createSocket('udp4');
  const queries: string[] = [];
  sock.on('message', (msg, rinfo) => {
    const q = dnsPacket.decode(msg);
    const question = q.questions?.[0];
    if (!question) return;
    queries.push(question.name);
    const answers = question.type === 'A' ? [{ type: 'A' as const, name: question.name, ttl: 60, data: answer }] : [];
    sock.send(dnsPacket.encode({ type: 'response', id: q.id, flags: dnsPacket.RECURSION_AVAILABLE, questions: [question], answers }), rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  return { address: `127.0.0.1:${sock.address().port}`, close: () => sock.close(), queries };
}

export function randomTag(): string {
  return Math.random().toString(36).slice(2, 7);
}
