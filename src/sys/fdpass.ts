/**
 * Descriptor passing and the few descriptor calls that go with it: recvmsg with SCM_RIGHTS (Node
 * can only receive its own handle types over its IPC channel), dup2, close, poll for one fd and the
 * peer's credentials of a unix socket. Used by the CLI's warm processes
 * (src/cli/warm/worker.ts), which take a command's stdio from skiff-launch.
 */
import koffi from 'koffi';
import { check, lazyFunc, lastErrno } from './libc.js';
import { sysError } from './errno.js';

const SOL_SOCKET = 1;
const SO_PEERCRED = 17;
const SCM_RIGHTS = 1;
const POLLIN = 0x1;
const EINTR = 4;
const EAGAIN = 11;
const MSG_CMSG_CLOEXEC = 0x40000000;

let types: { msghdr: unknown } | undefined;
function msghdrType(): unknown {
  types ??= (() => {
    const iovec = koffi.struct('skiff_iovec', { base: 'void *', len: 'size_t' });
    const msghdr = koffi.struct('skiff_msghdr', {
      name: 'void *', namelen: 'uint32', iov: koffi.pointer(iovec), iovlen: 'size_t',
      control: 'void *', controllen: 'size_t', flags: 'int',
    });
    return { msghdr };
  })();
  return types.msghdr;
}

const recvmsgFn = lazyFunc(`long recvmsg(int fd, _Inout_ skiff_msghdr *msg, int flags)`);
const dup2Fn = lazyFunc('int dup2(int oldfd, int newfd)');
const closeFn = lazyFunc('int close(int fd)');
const pollFn = lazyFunc('int poll(_Inout_ void *fds, unsigned long nfds, int timeout)');
const getsockoptFn = lazyFunc('int getsockopt(int fd, int level, int name, _Out_ void *val, _Inout_ uint32_t *len)');

/** Declares every function now, so that later calls pay nothing (the CLI's warm processes). */
export function prepareFdPass(): void {
  msghdrType();
  for (const f of [recvmsgFn, dup2Fn, closeFn, pollFn, getsockoptFn]) f();
}

/**
 * Waits until fd is readable or timeoutMs passes (false). Blocks the thread: for a process that
 * has nothing else to do meanwhile.
 */
export function pollReadable(fd: number, timeoutMs: number): boolean {
  const p = Buffer.alloc(8);
  p.writeInt32LE(fd, 0);
  p.writeInt16LE(POLLIN, 4);
  for (;;) {
    const n = pollFn()(p, 1, timeoutMs) as number;
    if (n >= 0) return n > 0;
    if (lastErrno() !== EINTR) throw sysError(lastErrno(), 'poll');
  }
}

/**
 * One recvmsg into buf: the bytes read (0 at EOF, -1 when a non-blocking socket has none yet)
 * and the descriptors that came with them (close-on-exec).
 */
export function recvWithFds(fd: number, buf: Buffer, maxFds: number): { n: number; fds: number[] } {
  msghdrType(); // the struct recvmsg's declaration names
  const control = Buffer.alloc(16 + 4 * maxFds + 8);
  const msg = { name: null, namelen: 0, iov: [{ base: buf, len: buf.length }], iovlen: 1, control, controllen: control.length, flags: 0 };
  for (;;) {
    const n = Number(recvmsgFn()(fd, msg, MSG_CMSG_CLOEXEC));
    if (n < 0) {
      const errno = lastErrno();
      if (errno === EINTR) continue;
      if (errno === EAGAIN) return { n: -1, fds: [] };
      throw sysError(errno, 'recvmsg');
    }
    const fds: number[] = [];
    // struct cmsghdr: size_t len, int level, int type, then the data (one, as skiff-launch sends).
    const clen = Number(msg.controllen);
    for (let off = 0; off + 16 <= clen;) {
      const len = Number(control.readBigUInt64LE(off));
      if (len < 16) break;
      if (control.readInt32LE(off + 8) === SOL_SOCKET && control.readInt32LE(off + 12) === SCM_RIGHTS) {
        for (let p = off + 16; p + 4 <= off + len; p += 4) fds.push(control.readInt32LE(p));
      }
      off += (len + 7) & ~7;
    }
    return { n, fds };
  }
}

export function dup2(oldfd: number, newfd: number): void {
  check(dup2Fn()(oldfd, newfd) as number, 'dup2');
}

export function closeFd(fd: number): void {
  check(closeFn()(fd) as number, 'close');
}

/** The pid, uid and gid of the process at the other end of a unix socket (SO_PEERCRED). */
export function peerCredentials(fd: number): { pid: number; uid: number; gid: number } {
  const cred = Buffer.alloc(12);
  const len = [12];
  check(getsockoptFn()(fd, SOL_SOCKET, SO_PEERCRED, cred, len) as number, 'getsockopt');
  return { pid: cred.readInt32LE(0), uid: cred.readUInt32LE(4), gid: cred.readUInt32LE(8) };
}
