/**
 * The userland proxy (Docker's docker-proxy, in process): listens on the published host address
 * and forwards to the container. It serves what DNAT cannot — connections from the host to
 * 127.0.0.1, which never pass PREROUTING — and holding the listening socket is also what reserves
 * the port against other programs. Accepted TCP connections are handed, once the container end
 * is connected, to a relay thread that moves the bytes with splice(2) (relay.ts), keeping
 * backpressure and half-close; where it cannot start, Node streams pipe them. UDP keeps one
 * upstream socket per client address, dropped after 90 s idle as Docker does.
 */
import { createServer, connect } from 'node:net';
import type { Server, Socket } from 'node:net';
import { createSocket } from 'node:dgram';
import type { Socket as UdpSocket, RemoteInfo } from 'node:dgram';
import { closeRelayed, relay } from './relay.js';
import type { Proto } from './types.js';

export interface ProxyTarget {
  proto: Proto;
  hostIp: string;
  hostPort: number;
  containerIp: string;
  containerPort: number;
}

export interface Proxy {
  readonly target: ProxyTarget;
  close(): Promise<void>;
}

const UDP_IDLE_MS = 90_000;
const UDP_MAX_FLOWS = 1024;

let proxySeq = 0;

function listenTcp(t: ProxyTarget): Promise<Proxy> {
  const id = ++proxySeq;
  const conns = new Set<Socket>();
  // Paused until the upstream is connected: then the relay thread takes both sockets unread.
  const server: Server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (client) => {
    const upstream = connect({ host: t.containerIp, port: t.containerPort, allowHalfOpen: true });
    upstream.pause();
    conns.add(client).add(upstream);
    const kill = (): void => { client.destroy(); upstream.destroy(); };
    client.on('error', kill);
    upstream.on('error', kill);
    client.on('close', () => { conns.delete(client); if (upstream.writableEnded || upstream.destroyed) upstream.destroy(); });
    upstream.on('close', () => { conns.delete(upstream); if (client.writableEnded || client.destroyed) client.destroy(); });
    upstream.once('connect', () => {
      if (client.destroyed) return void upstream.destroy();
      if (relay(id, client, upstream)) return;
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
      upstream.resume();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: t.hostIp, port: t.hostPort, exclusive: true }, () => {
      server.off('error', reject);
      server.on('error', () => undefined);
      resolve({
        target: t,
        close: () => new Promise<void>((done) => {
          for (const c of conns) c.destroy();
          closeRelayed(id);
          server.close(() => done());
        }),
      });
    });
  });
}

function listenUdp(t: ProxyTarget): Promise<Proxy> {
  const family = t.hostIp.includes(':') ? 'udp6' : 'udp4';
  const front: UdpSocket = createSocket({ type: family, reuseAddr: false });
  const flows = new Map<string, { up: UdpSocket; timer: NodeJS.Timeout }>();
  const drop = (key: string): void => {
    const f = flows.get(key);
    if (!f) return;
    clearTimeout(f.timer);
    f.up.close();
    flows.delete(key);
  };
  front.on('message', (msg: Buffer, client: RemoteInfo) => {
    const key = `${client.address}:${client.port}`;
    let flow = flows.get(key);
    if (!flow) {
      if (flows.size >= UDP_MAX_FLOWS) drop(flows.keys().next().value!);
      const up = createSocket(t.containerIp.includes(':') ? 'udp6' : 'udp4');
      up.on('message', (reply: Buffer, from: RemoteInfo) => {
        if (from.address !== t.containerIp || from.port !== t.containerPort) return;
        front.send(reply, client.port, client.address);
        const f = flows.get(key);
        if (f) f.timer.refresh();
      });
      up.on('error', () => drop(key));
      flow = { up, timer: setTimeout(() => drop(key), UDP_IDLE_MS) };
      flow.timer.unref();
      flows.set(key, flow);
    }
    flow.timer.refresh();
    flow.up.send(msg, t.containerPort, t.containerIp);
  });
  return new Promise((resolve, reject) => {
    front.once('error', reject);
    front.bind({ address: t.hostIp, port: t.hostPort, exclusive: true }, () => {
      front.off('error', reject);
      front.on('error', () => undefined);
      resolve({
        target: t,
        close: () => new Promise<void>((done) => {
          for (const k of [...flows.keys()]) drop(k);
          front.close(() => done());
        }),
      });
    });
  });
}

/** Starts a proxy; rejects with the bind error (EADDRINUSE when another program holds the port). */
export function startProxy(t: ProxyTarget): Promise<Proxy> {
  if (t.proto === 'tcp') return listenTcp(t);
  if (t.proto === 'udp') return listenUdp(t);
  return Promise.reject(new Error(`userland proxy does not support ${t.proto}`));
}
