/**
 * The embedded DNS server for containers on user-defined networks. As Docker's, it listens on
 * 127.0.0.11:53 inside each container's network namespace — here the daemon itself holds a UDP
 * and a TCP socket per namespace, created in it (netns-socket.ts), so no helper process and no
 * DNAT rule is needed, and each socket tells which container asks. Names of the container's
 * networks are answered locally; other queries are forwarded over UDP from the daemon's own
 * namespace to the upstream resolvers (the host's, so loopback resolvers such as a local stub
 * work too), the first answer winning, bounded by a timeout.
 */
import { createSocket } from 'node:dgram';
import type { Socket as UdpSocket } from 'node:dgram';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { bindInNetns } from '../netns-socket.js';
import { EMBEDDED_DNS_IP } from '../files.js';
import { answerLocally, servfail } from './answer.js';
import type { DnsView } from './answer.js';

const FORWARD_TIMEOUT_MS = 4000;

/** `1.2.3.4`, `1.2.3.4:5353` → host and port. */
export function parseUpstream(s: string): { host: string; port: number } {
  const m = /^(\d+\.\d+\.\d+\.\d+)(?::(\d+))?$/.exec(s);
  return m ? { host: m[1]!, port: m[2] ? Number(m[2]) : 53 } : { host: s, port: 53 };
}

/** Sends `query` to each upstream in turn until one answers. */
export function forwardQuery(query: Buffer, upstreams: string[]): Promise<Buffer | undefined> {
  const v4 = upstreams.map(parseUpstream).filter((u) => /^\d/.test(u.host));
  return new Promise((resolve) => {
    if (v4.length === 0) { resolve(undefined); return; }
    const sock = createSocket('udp4');
    let done = false;
    const finish = (r: Buffer | undefined): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.close();
      resolve(r);
    };
    const timer = setTimeout(() => finish(undefined), FORWARD_TIMEOUT_MS);
    sock.on('error', () => finish(undefined));
    sock.on('message', (msg, from) => {
      if (v4.some((u) => u.host === from.address && u.port === from.port) && msg.readUInt16BE(0) === query.readUInt16BE(0)) finish(msg);
    });
    for (const u of v4) sock.send(query, u.port, u.host);
  });
}

interface Listener {
  udp: UdpSocket;
  tcp: Server;
  conns: Set<Socket>;
}

export class EmbeddedDns {
  private readonly listeners = new Map<string, Listener>();

  constructor(private readonly view: DnsView, private readonly upstreams: (containerId: string) => string[]) {}

  private async respond(containerId: string, query: Buffer): Promise<Buffer | undefined> {
    const local = answerLocally(this.view, containerId, query);
    if (local) return local;
    return (await forwardQuery(query, this.upstreams(containerId))) ?? servfail(query);
  }

  has(containerId: string): boolean {
    return this.listeners.has(containerId);
  }

  /** Starts answering inside the namespace at `netnsPath` (127.0.0.11:53, UDP and TCP). */
  async listen(containerId: string, netnsPath: string): Promise<void> {
    if (this.listeners.has(containerId)) return;
    const udpFd = bindInNetns(netnsPath, 'udp', EMBEDDED_DNS_IP, 53);
    const tcpFd = bindInNetns(netnsPath, 'tcp', EMBEDDED_DNS_IP, 53);
    const udp = createSocket('udp4');
    udp.on('error', () => undefined);
    udp.on('message', (msg, rinfo) => {
      void this.respond(containerId, msg).then((r) => {
        // The listener may have closed while an upstream was slow.
        if (r && this.listeners.get(containerId)?.udp === udp) udp.send(r, rinfo.port, rinfo.address);
      }, () => undefined);
    });
    const conns = new Set<Socket>();
    const tcp = createServer((c) => this.serveTcp(containerId, c, conns));
    tcp.on('error', () => undefined);
    await new Promise<void>((resolve) => udp.bind({ fd: udpFd }, () => resolve()));
    await new Promise<void>((resolve) => tcp.listen({ fd: tcpFd }, () => resolve()));
    this.listeners.set(containerId, { udp, tcp, conns });
  }

  /** DNS over TCP: two-byte length prefix per message. */
  private serveTcp(containerId: string, c: Socket, conns: Set<Socket>): void {
    conns.add(c);
    c.setTimeout(10_000, () => c.destroy());
    c.on('error', () => c.destroy());
    c.on('close', () => conns.delete(c));
    let buf = Buffer.alloc(0);
    c.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + msg.length);
        void this.respond(containerId, Buffer.from(msg)).then((r) => {
          if (!r || c.destroyed) return;
          const len = Buffer.alloc(2);
          len.writeUInt16BE(r.length, 0);
          c.write(Buffer.concat([len, r]));
        }, () => undefined);
      }
      if (buf.length > 65537) c.destroy();
    });
  }

  async close(containerId: string): Promise<void> {
    const l = this.listeners.get(containerId);
    if (!l) return;
    this.listeners.delete(containerId);
    for (const c of l.conns) c.destroy();
    await Promise.all([
      new Promise<void>((r) => l.udp.close(() => r())),
      new Promise<void>((r) => l.tcp.close(() => r())),
    ]);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.listeners.keys()].map((id) => this.close(id)));
  }
}
