/**
 * Sockets bound inside another network namespace, for the embedded DNS server that listens on
 * 127.0.0.11:53 in each container's namespace as Docker's does. A socket belongs to the namespace
 * of the thread that created it and keeps it for life, so the main thread briefly joins the
 * container's namespace (netns.ts withNetns), creates and binds the socket, and returns. Node then
 * adopts the descriptor (dgram bind({fd}), listen({fd})).
 */
import { check, lazyFunc } from '../sys/libc.js';
import { parseIPv4 } from './ipv4.js';
import { inNetnsAt } from './netns.js';

const AF_INET = 2;
const SOCK_STREAM = 1;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0o2000000;
const SOL_SOCKET = 1;
const SO_REUSEADDR = 2;

const socketFn = lazyFunc('int socket(int domain, int type, int protocol)');
const bindFn = lazyFunc('int bind(int fd, const void *addr, uint32_t len)');
const setsockoptFn = lazyFunc('int setsockopt(int fd, int level, int name, const void *val, uint32_t len)');
const closeFn = lazyFunc('int close(int fd)');

function sockaddrIn(ip: string, port: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt16LE(AF_INET, 0);
  b.writeUInt16BE(port, 2);
  b.writeUInt32BE(parseIPv4(ip), 4);
  return b;
}

/** Creates a socket of `kind`, bound to ip:port inside the namespace at `netnsPath`; returns its fd. */
export function bindInNetns(netnsPath: string, kind: 'udp' | 'tcp', ip: string, port: number): number {
  return inNetnsAt(netnsPath, () => {
    const fd = check(socketFn()(AF_INET, (kind === 'udp' ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0), 'socket');
    try {
      if (kind === 'tcp') {
        const one = Buffer.alloc(4);
        one.writeInt32LE(1, 0);
        check(setsockoptFn()(fd, SOL_SOCKET, SO_REUSEADDR, one, 4), 'setsockopt');
      }
      check(bindFn()(fd, sockaddrIn(ip, port), 16), 'bind', `${ip}:${port}`);
      return fd;
    } catch (e) {
      closeFn()(fd);
      throw e;
    }
  });
}
