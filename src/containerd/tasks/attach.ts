/**
 * An attach stream over a shim connection: STDOUT/STDERR frames feed two Readables, the
 * Writable sends STDIN frames, and the EXIT frame ends everything. Backpressure: when a reader
 * stops pulling, the socket pauses; the shim then buffers for us up to its bound and drops the
 * connection beyond it, so a slow attach client never holds the container up.
 */
import { Readable, Writable } from 'node:stream';
import type { AttachOptions, AttachStream, ExitStatus } from './index.js';
import type { ShimConn } from './connection.js';
import { nsToDate } from './paths.js';
import { Msg, STDIN_CHUNK, fieldBigInt, fieldInt, type Frame } from './protocol.js';

export function exitFromFields(fields: readonly Buffer[], at = 0): ExitStatus {
  return {
    exitCode: fieldInt(fields, at),
    signal: fieldInt(fields, at + 1),
    exitedAt: nsToDate(fieldBigInt(fields, at + 2)),
  };
}

export class ShimAttachStream implements AttachStream {
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  readonly stdin: Writable | null;
  readonly exit: Promise<ExitStatus | undefined>;

  constructor(private readonly conn: ShimConn, opts: AttachOptions) {
    const resume = () => { conn.socket.resume(); };
    this.stdout = opts.stdout ? new Readable({ read: resume }) : null;
    this.stderr = opts.stderr ? new Readable({ read: resume }) : null;
    this.stdin = opts.stdin
      ? new Writable({
        write: (chunk: Buffer, _enc, cb) => {
          for (let off = 0; off < chunk.length; off += STDIN_CHUNK) {
            const piece = chunk.subarray(off, off + STDIN_CHUNK);
            conn.send(Msg.STDIN, [piece], off + STDIN_CHUNK >= chunk.length ? cb : undefined);
          }
          if (chunk.length === 0) cb();
        },
      })
      : null;
    this.stdin?.on('error', () => undefined);
    this.exit = new Promise((resolve) => {
      let status: ExitStatus | undefined;
      conn.stream((f: Frame) => {
        if (f.type === Msg.STDOUT || f.type === Msg.STDERR) {
          const out = f.type === Msg.STDOUT ? this.stdout : this.stderr;
          if (out && !out.push(f.fields[0])) conn.socket.pause();
        } else if (f.type === Msg.EXIT) {
          status = exitFromFields(f.fields);
        }
      }, () => {
        this.stdout?.push(null);
        this.stderr?.push(null);
        this.stdin?.destroy();
        resolve(status);
      });
    });
  }

  resize(rows: number, cols: number): void {
    this.conn.send(Msg.RESIZE, [rows, cols]);
  }

  /** Sent after every stdin byte written so far, never ahead of bytes still queued. */
  closeStdin(): void {
    const s = this.stdin;
    if (!s || s.writableFinished || s.destroyed) {
      this.conn.send(Msg.CLOSE_STDIN);
      return;
    }
    s.once('finish', () => this.conn.send(Msg.CLOSE_STDIN));
    if (!s.writableEnded) s.end();
  }

  close(): void {
    this.conn.close();
  }
}
