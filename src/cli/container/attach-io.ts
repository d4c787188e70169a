/**
 * Pumps a hijacked attach/exec connection to the terminal: output demultiplexed (stdcopy) or raw
 * with a tty, stdin copied in and half-closed at EOF, the local terminal in raw mode for `-t`
 * (restored on every exit path) and its size sent on start and on SIGWINCH.
 */
import type { Duplex } from 'node:stream';
import { Demuxer, STDERR, SYSTEMERR } from '../../common/stdcopy.js';
import type { Cli } from '../framework/cli.js';
import { makeRaw } from '../../sys/termios.js';

export interface StreamOptions {
  tty: boolean;
  stdin: boolean;
  /** `/containers/<id>` or `/exec/<id>`: where resize requests go. */
  resizePath?: string;
}

/** Sends the terminal size now and whenever it changes; returns the unsubscribe function. */
export function monitorTtySize(cli: Cli, path: string): () => void {
  if (!process.stdout.isTTY) return () => {};
  const send = (): void => {
    const [w, h] = process.stdout.getWindowSize();
    cli.client.post(`${path}/resize`, { h, w }).catch(() => { /* the process may be gone already */ });
  };
  send();
  process.on('SIGWINCH', send);
  return () => process.off('SIGWINCH', send);
}

/** Resolves when the output side ends (the process exited or detached). */
export function streamIO(cli: Cli, conn: Duplex, opts: StreamOptions): Promise<void> {
  const stdinTTY = opts.tty && opts.stdin && process.stdin.isTTY === true;
  if (stdinTTY) {
    process.stdin.setRawMode(true);
    makeRaw(0); // output processing off too, as docker's raw mode has it
  }
  const restore = (): void => {
    if (stdinTTY) process.stdin.setRawMode(false);
  };
  return new Promise((resolve, reject) => {
    const demux = new Demuxer();
    conn.on('data', (chunk: Buffer) => {
      if (opts.tty) {
        process.stdout.write(chunk);
        return;
      }
      for (const f of demux.push(chunk)) {
        if (f.stream === STDERR || f.stream === SYSTEMERR) process.stderr.write(f.data);
        else process.stdout.write(f.data);
      }
    });
    const finish = (): void => {
      restore();
      process.stdin.unpipe(conn);
      process.stdin.pause();
      resolve();
    };
    conn.on('end', finish);
    conn.on('close', finish);
    conn.on('error', (e) => {
      restore();
      reject(e);
    });
    if (opts.stdin) {
      process.stdin.on('data', (d: Buffer) => conn.write(d));
      // EOF on our stdin: half-close so the container sees EOF while output keeps flowing.
      process.stdin.on('end', () => conn.end());
      process.stdin.resume();
    }
  });
}

/** What docker's ForwardAllSignals passes on, of the signals Node can catch (no tty: SIGWINCH too). */
const PROXIED = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH', 'SIGCONT', 'SIGALRM'] as const;

/**
 * Forwards our signals to the container (docker's --sig-proxy, on by default without a tty for
 * run, start -a and attach); returns the function that stops forwarding.
 */
export function proxySignals(cli: Cli, id: string): () => void {
  const handlers = PROXIED.map((sig) => {
    const h = (): void => void cli.client.post(`/containers/${id}/kill`, { signal: sig }).catch(() => {});
    process.on(sig, h);
    return [sig, h] as const;
  });
  return () => handlers.forEach(([sig, h]) => process.off(sig, h));
}
