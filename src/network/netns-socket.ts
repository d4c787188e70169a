/**
 * Sockets bound inside another network namespace, for the embedded DNS server that listens on
 * 127.0.0.11:53 in each container's namespace as Docker's does. A socket belongs to the namespace
 * of the thread that created it and keeps it for life, so the main thread briefly joins the
 * container's namespace (setns affects only the calling thread, and CLONE_NEWNET is allowed in a
 * multithreaded process), creates and binds the socket, and returns — all synchronously, so no
 * other JavaScript runs meanwhile. Node then adopts the descriptor (dgram bind({fd}), listen({fd})).
 */
import { closeSync, openSync } from 'node:fs';
import { check, lazyFunc } from '../sys/libc.js';
import { parseIPv4 } from './ipv4.js';

const CLONE_NEWNET = 0x40000000;
const AF_INET = 2;
const SOCK_STREAM = 1;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0o2000000;
const SOL_SOCKET = 1;
const SO_REUSEADDR = 2;

const setnsFn = lazyFunc('int setns(int fd, int nstype)');
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
  const target = openSync(netnsPath, 'r');
  const home = openSync(`/proc/${process.pid}/task/${process.pid}/ns/net`, 'r');
  let fd = -1;
  try {
    check(setnsFn()(target, CLONE_NEWNET), 'setns', netnsPath);
    try {
      fd = check(socketFn()(AF_INET, (kind === 'udp' ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0), 'socket');
      if (kind === 'tcp') {
        const one = Buffer.alloc(4);
        one.writeInt32LE(1, 0);
        check(setsockoptFn()(fd, SOL_SOCKET, SO_REUSEADDR, one, 4), 'setsockopt');
      }
      check(bindFn()(fd, sockaddrIn(ip, port), 16), 'bind', `${ip}:${port}`);
    } catch (e) {
      if (fd >= 0) closeFn()(fd);
      throw e;
    } finally {
      // Returning home cannot be skipped: the main thread would stay in the container's network.
      check(setnsFn()(home, CLONE_NEWNET), 'setns', 'home');
    }
  } finally {
    closeSync(target);
    closeSync(home);
  }
  return fd;
}
