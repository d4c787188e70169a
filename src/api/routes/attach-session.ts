/**
 * One attach session over a client connection (a hijacked socket, or a websocket as a Duplex):
 * optional replay of the json-file log, then the live output out and stdin in, with detach keys.
 * Output is multiplexed (8-byte stdcopy frames) unless the container has a tty or the transport
 * keeps the streams apart itself.
 */
import type { Duplex, Writable } from 'node:stream';
import { frame, FramePacker, STDERR, STDOUT } from '../../common/stdcopy.js';
import type { AttachStream } from '../../services/containers/deps.js';
import { readLogs } from '../../services/containers/logs.js';
import { DetachScanner } from './detach-keys.js';

export interface SessionOptions {
  /** Raw output, no stdcopy frames (a tty, or a websocket). */
  raw: boolean;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  /** Client EOF closes the container's stdin (StdinOnce, exec). */
  closeOnEof: boolean;
  /** Watched for only with a tty, as Docker does: other input is binary and passes untouched. */
  detachKeys: Buffer | undefined;
  /** Settled before the stream ends (the exit code a client asks for right after). */
  beforeEnd?: () => Promise<unknown>;
}

async function send(sock: Writable, data: Buffer): Promise<void> {
  if (!sock.write(data)) await new Promise((r) => sock.once('drain', r));
}

function encode(raw: boolean, stream: 1 | 2, data: Buffer): Buffer {
  return raw ? data : frame(stream === 1 ? STDOUT : STDERR, data);
}

/** The `logs=1` part of an attach: what the container wrote so far, from its json-file log. */
export async function replayLogs(sock: Writable, logPath: string, o: { raw: boolean; stdout: boolean; stderr: boolean }): Promise<void> {
  if (!logPath || (!o.stdout && !o.stderr)) return;
  const packer = new FramePacker(o.raw);
  for await (const entries of readLogs(logPath, { stdout: o.stdout, stderr: o.stderr, follow: false })) {
    for (const e of entries) {
      const full = packer.add(e.stream === 'stderr' ? 2 : 1, e.log);
      if (full) await send(sock, full);
    }
  }
  const last = packer.take();
  if (last) await send(sock, last);
}

/** Copies output to the client. */
async function pumpOutput(att: AttachStream, sock: Writable, o: SessionOptions): Promise<void> {
  for await (const { stream, data } of att.output) {
    if (stream === 1 ? !o.stdout : !o.stderr) continue;
    await send(sock, encode(o.raw, stream, data));
  }
}

/**
 * stdin from the client, watching for the detach sequence; EOF closes the container's stdin when
 * asked. A client may close its side before we listen (`docker run -i </dev/null` does so right
 * after the attach, while the container is still starting): the socket has then already
 * emitted 'end', and its EOF is taken from `readableEnded`.
 */
function pumpInput(sock: Duplex, att: AttachStream, o: SessionOptions, onDetach: () => void): void {
  const scan = o.detachKeys ? new DetachScanner(o.detachKeys) : undefined;
  let done = false;
  sock.on('data', (chunk: Buffer) => {
    if (done) return;
    const { data, detach } = scan ? scan.feed(chunk) : { data: chunk, detach: false };
    if (data.length) att.write(data);
    if (detach) {
      done = true;
      onDetach();
    }
  });
  const onEnd = () => {
    if (done) return;
    done = true;
    const rest = scan?.flush();
    if (rest?.length) att.write(rest);
    if (o.closeOnEof) att.closeStdin();
  };
  if (sock.readableEnded) onEnd();
  else sock.on('end', onEnd);
}

export async function serveAttach(sock: Duplex, att: AttachStream, o: SessionOptions): Promise<void> {
  let detached = false;
  sock.on('error', () => att.close());
  sock.on('close', () => att.close());
  if (o.stdin) {
    pumpInput(sock, att, o, () => {
      detached = true;
      att.close();
    });
  }
  await pumpOutput(att, sock, o).catch(() => undefined);
  // The client asks for the exit code as soon as the stream ends: settle it first.
  if (!detached) await o.beforeEnd?.().catch(() => undefined);
  sock.end();
}
