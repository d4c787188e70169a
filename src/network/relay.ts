/**
 * The main-thread side of the proxy's relay thread (relay-worker.ts): started on the first
 * proxied connection, it takes over a connected pair of sockets — duplicated close-on-exec
 * descriptors, the Node sockets themselves are closed — and moves their bytes with splice(2).
 * Where the thread or the syscalls are not available, `relay()` returns false and the caller
 * pipes through Node streams instead.
 */
import { Worker } from 'node:worker_threads';
import type { Socket } from 'node:net';
import { O_CLOEXEC, O_NONBLOCK, closeFd, dupCloexec, eventfd, eventfdSignal } from '../sys/splice.js';
import type { RelayMessage } from './relay-worker.js';

let worker: Worker | undefined;
let wake = -1;
let broken = false;

function fdOf(s: Socket): number | undefined {
  const fd = (s as unknown as { _handle?: { fd?: number } })._handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}

function post(m: RelayMessage): void {
  worker!.postMessage(m);
  eventfdSignal(wake);
}

function ensureWorker(): boolean {
  if (worker) return true;
  if (broken) return false;
  try {
    wake = eventfd(O_NONBLOCK | O_CLOEXEC);
    worker = new Worker(new URL('./relay-worker.js', import.meta.url), { workerData: { eventfd: wake } });
    worker.unref();
    // A thread blocked in epoll_wait cannot be terminated: wake it so that the process can exit.
    process.once('exit', () => { void worker?.terminate(); eventfdSignal(wake); });
    worker.on('error', () => { broken = true; worker = undefined; });
    return true;
  } catch {
    broken = true;
    return false;
  }
}

/**
 * Hands the connected pair (client, upstream) to the relay thread under the proxy's id.
 * Neither socket may have been read from. Returns false when the caller must pipe itself.
 */
export function relay(proxy: number, client: Socket, upstream: Socket): boolean {
  const fa = fdOf(client);
  const fb = fdOf(upstream);
  if (fa === undefined || fb === undefined || !ensureWorker()) return false;
  let a = -1;
  try {
    a = dupCloexec(fa);
    const b = dupCloexec(fb);
    post({ type: 'add', proxy, a, b });
  } catch {
    if (a >= 0) closeFd(a);
    return false;
  }
  client.destroy();
  upstream.destroy();
  return true;
}

/** Closes every relayed connection of one proxy (the container's port is being unpublished). */
export function closeRelayed(proxy: number): void {
  if (worker) post({ type: 'close', proxy });
}
