/**
 * One connection to a shim socket. Requests go one at a time (the caller awaits each reply);
 * a connection that was turned into a stream (attach, attached exec) hands every later frame to
 * its stream handler. Shim errors keep their kind across the boundary: "init" errors become
 * InitError with skiff-init's step and errno, the others an EngineError of the named kind.
 */
import { createConnection, type Socket } from 'node:net';
import { EngineError, internal, unavailable, type ErrorKind } from '../../common/errors.js';
import { InitError } from '../../runtime/executor.js';
import { FrameDecoder, Msg, encodeFrame, fieldStr, type Field, type Frame } from './protocol.js';

interface ErrorObject {
  step: string;
  errno: number;
  message: string;
  strerror: string;
}

const KINDS: readonly string[] = ['not-found', 'conflict', 'invalid-argument', 'internal'];

/** skiff-init's report as InitError, worded as src/runtime/executor.ts words it. */
export function initError(e: ErrorObject): InitError {
  const text = e.step === 'exec' || !e.strerror ? e.message : `${e.message}: ${e.strerror}`;
  return new InitError(e.step, e.errno, e.step === 'exec' ? text : `${e.step}: ${text}`);
}

export function shimError(code: string, json: string): EngineError {
  let e: ErrorObject;
  try {
    e = JSON.parse(json) as ErrorObject;
  } catch {
    return internal(`shim: malformed error: ${json}`);
  }
  if (code === 'init') return initError(e);
  const kind = (KINDS.includes(code) ? code : 'internal') as ErrorKind;
  return new EngineError(kind, e.strerror && kind === 'internal' ? `${e.message}: ${e.strerror}` : e.message);
}

export class ShimConn {
  private readonly decoder = new FrameDecoder();
  private readonly pending: { resolve: (f: Frame) => void; reject: (e: Error) => void }[] = [];
  private streamHandler: ((f: Frame) => void) | undefined;
  /** Frames that arrived after the last reply, before a stream handler was set. */
  private backlog: Frame[] = [];
  private closedError: Error | undefined;
  private onClose: (() => void) | undefined;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      let frames: Frame[];
      try {
        frames = this.decoder.push(chunk);
      } catch (e) {
        socket.destroy(e as Error);
        return;
      }
      for (const f of frames) this.dispatch(f);
    });
    socket.on('error', (e) => { this.fail(unavailable(`shim connection: ${e.message}`, e)); });
    socket.on('close', () => {
      this.fail(unavailable('shim connection closed'));
      this.onClose?.();
    });
  }

  static connect(path: string): Promise<ShimConn> {
    return new Promise((resolve, reject) => {
      const s = createConnection(path);
      const onError = (e: NodeJS.ErrnoException) => {
        reject(unavailable(`shim not reachable at ${path}: ${e.code ?? e.message}`, e));
      };
      s.once('error', onError);
      s.once('connect', () => {
        s.off('error', onError);
        resolve(new ShimConn(s));
      });
    });
  }

  private dispatch(f: Frame): void {
    const p = this.pending.shift();
    if (p) p.resolve(f);
    else if (this.streamHandler) this.streamHandler(f);
    else this.backlog.push(f);
  }

  private fail(e: Error): void {
    this.closedError ??= e;
    for (const p of this.pending.splice(0)) p.reject(e);
  }

  /** Sends a request and resolves with the OK reply's fields. */
  request(type: number, fields: readonly Field[] = []): Promise<Buffer[]> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise<Frame>((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.socket.write(encodeFrame(type, fields));
    }).then((f) => {
      if (f.type === Msg.OK) return f.fields;
      if (f.type === Msg.ERROR) throw shimError(fieldStr(f.fields, 0), fieldStr(f.fields, 1));
      throw internal(`shim protocol: unexpected frame ${f.type}`);
    });
  }

  /** From now on, frames go to `handler`; `closed` runs once when the connection ends. */
  stream(handler: (f: Frame) => void, closed: () => void): void {
    this.streamHandler = handler;
    for (const f of this.backlog.splice(0)) handler(f);
    if (this.closedError) closed();
    else this.onClose = closed;
  }

  send(type: number, fields: readonly Field[] = [], cb?: (err?: Error | null) => void): void {
    if (this.closedError) {
      cb?.(this.closedError);
      return;
    }
    this.socket.write(encodeFrame(type, fields), cb);
  }

  close(): void {
    this.socket.destroy();
  }

  /** Resolves when the peer has closed the connection (a shim closes it by exiting). */
  closed(): Promise<void> {
    if (this.socket.closed) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('close', () => resolve()));
  }
}

/** One request on a fresh connection. */
export async function call(path: string, type: number, fields: readonly Field[] = []): Promise<Buffer[]> {
  const c = await ShimConn.connect(path);
  try {
    return await c.request(type, fields);
  } finally {
    c.close();
  }
}
