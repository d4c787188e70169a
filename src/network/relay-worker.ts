/**
 * The relay thread of the userland proxy: moves the bytes of every proxied TCP connection with
 * splice(2) through a pipe per direction, driven by one epoll set, so the data never enters
 * JavaScript and skiffd's event loop never sees it. The main thread accepts and connects, then
 * hands both sockets over (`add`); it wakes this thread through an eventfd, since a thread
 * blocked in epoll_wait cannot receive messages. Half-close is kept: end of input on one side
 * becomes shutdown(SHUT_WR) on the other once the pipe is drained; any error closes both sides.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  EPOLL_CTL_ADD, EPOLL_CTL_DEL, EPOLL_CTL_MOD, EPOLL_EVENT_SIZE, EPOLLERR, EPOLLIN, EPOLLOUT, O_CLOEXEC, O_NONBLOCK,
  SHUT_WR, SPLICE_F_MOVE, SPLICE_F_NONBLOCK, closeFd, epollCreate, epollCtl, epollEvent, epollWait, eventfdDrain, pipe2,
  setPipeSize, shutdownFd, splice,
} from '../sys/splice.js';

export type RelayMessage =
  | { type: 'add'; proxy: number; a: number; b: number }
  | { type: 'close'; proxy: number };

const PIPE_SIZE = 1 << 20;
const EAGAIN = 11;

interface Direction { src: number; dst: number; r: number; w: number; inPipe: number; eof: boolean; done: boolean }
interface Conn { proxy: number; a: number; b: number; dirs: [Direction, Direction]; interest: Map<number, number>; closed: boolean }

const wake: number = (workerData as { eventfd: number }).eventfd;
const ep = epollCreate();
const bySocket = new Map<number, Conn>();
epollCtl(ep, EPOLL_CTL_ADD, wake, EPOLLIN);

function direction(src: number, dst: number): Direction {
  const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
  setPipeSize(w, PIPE_SIZE);
  return { src, dst, r, w, inPipe: 0, eof: false, done: false };
}

function closeConn(c: Conn): void {
  if (c.closed) return;
  c.closed = true;
  for (const fd of [c.a, c.b]) {
    if (c.interest.has(fd)) { try { epollCtl(ep, EPOLL_CTL_DEL, fd, 0); } catch { /* already gone */ } }
    bySocket.delete(fd);
    closeFd(fd);
  }
  for (const d of c.dirs) { closeFd(d.r); closeFd(d.w); }
}

/** Moves what can move now; false when the connection failed. */
function pump(d: Direction): boolean {
  for (;;) {
    let progress = false;
    if (!d.eof) {
      const n = splice(d.src, d.w, PIPE_SIZE, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
      if (n > 0) { d.inPipe += n; progress = true; } else if (n === 0) { d.eof = true; progress = true; } else if (n !== -EAGAIN) return false;
    }
    if (d.inPipe > 0) {
      const n = splice(d.r, d.dst, d.inPipe, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
      if (n > 0) { d.inPipe -= n; progress = true; } else if (n !== -EAGAIN) return false;
    }
    if (!progress) break;
  }
  if (d.eof && d.inPipe === 0 && !d.done) {
    d.done = true;
    shutdownFd(d.dst, SHUT_WR);
  }
  return true;
}

/**
 * Level-triggered interest, one buffer per direction as io.Copy does: read a side while its
 * pipe is empty, wait for the other side to take data while the pipe holds some.
 */
function rearm(c: Conn): void {
  const want = new Map<number, number>([[c.a, 0], [c.b, 0]]);
  for (const d of c.dirs) {
    if (d.done) continue;
    if (d.inPipe > 0) want.set(d.dst, want.get(d.dst)! | EPOLLOUT);
    else if (!d.eof) want.set(d.src, want.get(d.src)! | EPOLLIN);
  }
  for (const [fd, ev] of want) {
    const had = c.interest.get(fd);
    if (had === ev) continue;
    epollCtl(ep, had === undefined ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, ev);
    c.interest.set(fd, ev);
  }
}

function service(c: Conn, events = 0): void {
  if (c.closed) return;
  if (events & EPOLLERR || !pump(c.dirs[0]) || !pump(c.dirs[1]) || (c.dirs[0].done && c.dirs[1].done)) return closeConn(c);
  try {
    rearm(c);
  } catch {
    closeConn(c); // epoll_ctl failed (ENOMEM, ENOSPC): drop this connection rather than the relay
  }
}

function onMessage(m: RelayMessage): void {
  if (m.type === 'add') {
    const dirs: Direction[] = [];
    try {
      dirs.push(direction(m.a, m.b), direction(m.b, m.a));
    } catch {
      // Out of descriptors: this connection is dropped, the relay keeps serving the others.
      for (const fd of [m.a, m.b, ...dirs.flatMap((d) => [d.r, d.w])]) closeFd(fd);
      return;
    }
    const c: Conn = { proxy: m.proxy, a: m.a, b: m.b, dirs: [dirs[0]!, dirs[1]!], interest: new Map(), closed: false };
    bySocket.set(m.a, c).set(m.b, c);
    service(c);
  } else {
    for (const c of new Set(bySocket.values())) if (c.proxy === m.proxy) closeConn(c);
  }
}

parentPort!.on('message', onMessage);

const events = Buffer.alloc(64 * EPOLL_EVENT_SIZE);
for (;;) {
  const n = epollWait(ep, events, -1);
  let woken = false;
  for (let i = 0; i < n; i++) {
    const ev = epollEvent(events, i);
    if (ev.fd === wake) { eventfdDrain(wake); woken = true; continue; }
    const c = bySocket.get(ev.fd);
    if (c) service(c, ev.events);
  }
  // Messages (new connections, closes) are delivered only when this thread's loop turns; the
  // main thread signals the eventfd after posting one.
  if (woken) await new Promise((r) => setImmediate(r));
}
