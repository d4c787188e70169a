/**
 * Persistent network namespaces. A network namespace lives as long as a process is in it or a
 * file refers to it; skiff keeps one per container by bind-mounting the namespace (an nsfs inode)
 * onto a file under the exec-root, as `ip netns add` does under /run/netns. The container's OCI
 * spec then joins it by path, so its network is configured before its process starts.
 *
 * Namespaces are made in-process: the main thread unshares a new network namespace, bind-mounts
 * it, brings lo up and returns to the daemon's namespace — all synchronously, so no other
 * JavaScript runs meanwhile (setns and unshare(CLONE_NEWNET) affect only the calling thread, and
 * are allowed in a multithreaded process). A tool spawned while the thread is inside (libuv forks
 * from the calling thread) starts in that namespace, which saves the `unshare`/`nsenter` exec.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { MNT, MS, mount, umount2 } from '../sys/index.js';
import { check, lazyFunc } from '../sys/libc.js';
import { ipBatch } from './exec.js';

const CLONE_NEWNET = 0x40000000;
const AF_INET = 2;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0o2000000;
const SIOCGIFFLAGS = 0x8913;
const SIOCSIFFLAGS = 0x8914;
const IFF_UP = 0x1;

const unshareFn = lazyFunc('int unshare(int flags)');
const setnsFn = lazyFunc('int setns(int fd, int nstype)');
const socketFn = lazyFunc('int socket(int domain, int type, int protocol)');
const ioctlFn = lazyFunc('int ioctl(int fd, unsigned long request, _Inout_ uint8_t *arg)');
const closeFn = lazyFunc('int close(int fd)');

let homeFd: number | undefined;

/**
 * An fd on the daemon's own network namespace, opened on first use (always from home: every
 * switch goes through withNetns, which opens it first) and kept for the daemon's life.
 */
function home(): number {
  homeFd ??= openSync(`/proc/${process.pid}/task/${process.pid}/ns/net`, 'r');
  return homeFd;
}

/**
 * A path naming the daemon's namespace for tools (`ip link … netns <path>`) that stays right even
 * while the main thread is inside a container's namespace.
 */
export function daemonNetnsPath(): string {
  return `/proc/${process.pid}/fd/${home()}`;
}

/**
 * Runs `fn` on the main thread inside a network namespace — `'new'` for a fresh one, or an open
 * namespace fd — and always returns to the daemon's namespace before anything else runs.
 */
export function withNetns<T>(target: number | 'new', fn: () => T): T {
  const back = home();
  if (target === 'new') check(unshareFn()(CLONE_NEWNET), 'unshare', 'CLONE_NEWNET');
  else check(setnsFn()(target, CLONE_NEWNET), 'setns');
  try {
    return fn();
  } finally {
    // Staying in a container's namespace would silently move the daemon's sockets there.
    if (Number(setnsFn()(back, CLONE_NEWNET)) < 0) {
      process.stderr.write('skiffd: fatal: cannot return to the daemon network namespace\n');
      process.abort();
    }
  }
}

/** Like withNetns, with the namespace given by path. */
export function inNetnsAt<T>(path: string, fn: () => T): T {
  const fd = openSync(path, 'r');
  try {
    return withNetns(fd, fn);
  } finally {
    closeSync(fd);
  }
}

/** Sets lo up in the calling thread's network namespace (SIOCSIFFLAGS on an AF_INET socket). */
function loopbackUp(): void {
  const fd = check(socketFn()(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), 'socket');
  try {
    const ifr = Buffer.alloc(40);
    ifr.write('lo', 0, 'latin1');
    check(ioctlFn()(fd, SIOCGIFFLAGS, ifr), 'ioctl', 'SIOCGIFFLAGS lo');
    ifr.writeUInt16LE(ifr.readUInt16LE(16) | IFF_UP, 16);
    check(ioctlFn()(fd, SIOCSIFFLAGS, ifr), 'ioctl', 'SIOCSIFFLAGS lo');
  } finally {
    closeFn()(fd);
  }
}

/** Creates the namespace at `path` with lo up, and runs `setup` (ip batch lines) inside it. */
export async function createNetns(path: string, setup: string[] = []): Promise<void> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  // A bind mount needs an existing file to land on.
  closeSync(openSync(path, 'a', 0o444));
  try {
    const configured = withNetns('new', () => {
      mount(`/proc/${process.pid}/task/${process.pid}/ns/net`, path, null, MS.BIND);
      loopbackUp();
      return ipBatch(setup);
    });
    await configured;
  } catch (e) {
    removeNetns(path);
    throw e;
  }
}

/** `ip` inside an existing namespace, by path. */
export async function ipBatchIn(path: string, lines: string[]): Promise<void> {
  await inNetnsAt(path, () => ipBatch(lines));
}

/** Unmounts and deletes the namespace file; the namespace dies with its last user. Idempotent. */
export function removeNetns(path: string): void {
  try { umount2(path, MNT.DETACH); } catch { /* not mounted (already removed or never made) */ }
  try { unlinkSync(path); } catch { /* already gone */ }
}

/** Whether `path` is a mounted namespace file (a leftover plain file is not). */
export function isNetnsMounted(path: string): boolean {
  if (!existsSync(path)) return false;
  const mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
  return mountinfo.split('\n').some((line) => line.split(' ')[4] === path);
}
