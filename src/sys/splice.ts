/**
 * Zero-copy relaying between sockets: pipes, splice(2) and an epoll set, for the userland proxy's
 * relay thread. splice moves pages from a socket into a pipe and from the pipe into another
 * socket without copying them through user memory — what Go's io.Copy does for docker-proxy.
 * The hot calls (splice, epoll_wait) return `-errno` instead of throwing: EAGAIN is their normal
 * answer, and an exception per would-block would cost more than the syscall.
 */
import { arch } from 'node:os';
import { check, lastErrno, lazyFunc } from './libc.js';

export const O_NONBLOCK = 0o4000;
export const O_CLOEXEC = 0o2000000;
export const SPLICE_F_MOVE = 1;
export const SPLICE_F_NONBLOCK = 2;
export const EPOLLIN = 0x001;
export const EPOLLOUT = 0x004;
export const EPOLLERR = 0x008;
export const EPOLLHUP = 0x010;
export const EPOLL_CTL_ADD = 1;
export const EPOLL_CTL_DEL = 2;
export const EPOLL_CTL_MOD = 3;
export const SHUT_WR = 1;
const F_DUPFD_CLOEXEC = 1030;
const F_SETPIPE_SZ = 1031;

/** struct epoll_event is packed on x86-64 (12 bytes) and naturally aligned elsewhere (16). */
export const EPOLL_EVENT_SIZE = arch() === 'x64' ? 12 : 16;
const DATA_OFFSET = arch() === 'x64' ? 4 : 8;

const pipe2Fn = lazyFunc('int pipe2(_Out_ int *fds, int flags)');
const spliceFn = lazyFunc('long splice(int fd_in, void *off_in, int fd_out, void *off_out, size_t len, unsigned int flags)');
const fcntlFn = lazyFunc('int fcntl(int fd, int cmd, int arg)');
const closeFn = lazyFunc('int close(int fd)');
const shutdownFn = lazyFunc('int shutdown(int fd, int how)');
const epollCreateFn = lazyFunc('int epoll_create1(int flags)');
const epollCtlFn = lazyFunc('int epoll_ctl(int epfd, int op, int fd, void *event)');
const epollWaitFn = lazyFunc('int epoll_wait(int epfd, void *events, int maxevents, int timeout)');
const eventfdFn = lazyFunc('int eventfd(unsigned int initval, int flags)');
const writeFn = lazyFunc('long write(int fd, const void *buf, size_t count)');
const readFn = lazyFunc('long read(int fd, void *buf, size_t count)');

/** pipe2(2): [read end, write end]. */
export function pipe2(flags: number): [number, number] {
  const fds = new Int32Array(2);
  check(pipe2Fn()(fds, flags), 'pipe2');
  return [fds[0]!, fds[1]!];
}

/** fcntl(F_SETPIPE_SZ); the kernel may round up. Returns the new size or -errno. */
export function setPipeSize(fd: number, size: number): number {
  const r = Number(fcntlFn()(fd, F_SETPIPE_SZ, size));
  return r < 0 ? -lastErrno() : r;
}

/** fcntl(F_DUPFD_CLOEXEC): a close-on-exec duplicate, so no child process inherits it. */
export function dupCloexec(fd: number): number {
  return check(fcntlFn()(fd, F_DUPFD_CLOEXEC, 3), 'fcntl');
}

/** splice(2) without offsets: bytes moved, 0 at end of input, or -errno. */
export function splice(from: number, to: number, len: number, flags: number): number {
  const r = Number(spliceFn()(from, null, to, null, len, flags));
  return r < 0 ? -lastErrno() : r;
}

/** close(2); errors are ignored (the descriptor is gone either way on Linux). */
export function closeFd(fd: number): void {
  closeFn()(fd);
}

/** shutdown(2); returns 0 or -errno (ENOTCONN once the peer reset is an answer, not a fault). */
export function shutdownFd(fd: number, how: number): number {
  return Number(shutdownFn()(fd, how)) < 0 ? -lastErrno() : 0;
}

export function epollCreate(): number {
  return check(epollCreateFn()(O_CLOEXEC), 'epoll_create1');
}

/** epoll_ctl(2) with the fd itself as the event's data. */
export function epollCtl(epfd: number, op: number, fd: number, events: number): void {
  const ev = Buffer.alloc(EPOLL_EVENT_SIZE);
  ev.writeUInt32LE(events, 0);
  ev.writeUInt32LE(fd, DATA_OFFSET);
  check(epollCtlFn()(epfd, op, fd, op === EPOLL_CTL_DEL ? null : ev), 'epoll_ctl');
}

/** epoll_wait(2) into `buf` (EPOLL_EVENT_SIZE bytes per event): the count, or -errno. */
export function epollWait(epfd: number, buf: Buffer, timeoutMs: number): number {
  const r = Number(epollWaitFn()(epfd, buf, Math.floor(buf.length / EPOLL_EVENT_SIZE), timeoutMs));
  return r < 0 ? -lastErrno() : r;
}

/** The i-th event of an epoll_wait buffer. */
export function epollEvent(buf: Buffer, i: number): { events: number; fd: number } {
  const o = i * EPOLL_EVENT_SIZE;
  return { events: buf.readUInt32LE(o), fd: buf.readUInt32LE(o + DATA_OFFSET) };
}

export function eventfd(flags: number): number {
  return check(eventfdFn()(0, flags), 'eventfd');
}

/** Adds one to an eventfd's counter, waking whoever polls it. */
export function eventfdSignal(fd: number): void {
  const one = Buffer.alloc(8);
  one.writeBigUInt64LE(1n);
  writeFn()(fd, one, 8);
}

/** Resets an eventfd's counter (nonblocking eventfd: EAGAIN when already zero is fine). */
export function eventfdDrain(fd: number): void {
  readFn()(fd, Buffer.alloc(8), 8);
}
