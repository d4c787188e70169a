/**
 * Connection takeover for attach and exec start, as Docker does it.
 *
 * With `Upgrade: tcp` (every modern client) Node hands us the socket through the server's
 * 'upgrade' event; we answer `HTTP/1.1 101 UPGRADED` ourselves and the socket becomes the stream.
 * The socket is half-open capable (http.Server creates its sockets with allowHalfOpen), so when
 * the client closes its write side — `docker run -i` does that at stdin EOF — the Duplex emits
 * 'end' while its writable side keeps carrying output; the handler ends the writable side when
 * the output is done. Any bytes the client sent after the request head (stdin typed early) were
 * put back into the socket, so the handler reads them first.
 *
 * Without Upgrade (Docker's legacy mode) the response is `200 OK` with the stream content type
 * and no chunked framing, and the connection closes at the end; the Duplex reads the request
 * body and writes the response. Node gives no way to take a socket from its HTTP parser, so in
 * this mode client input beyond the request body is not readable — legacy clients send none.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Duplex } from 'node:stream';
import { invalidArgument } from '../common/errors.js';

/** Writes the 101 head on an upgraded socket and returns it as the stream. */
export function acceptUpgrade(socket: Duplex, contentType: string): Duplex {
  socket.write(
    'HTTP/1.1 101 UPGRADED\r\n' +
      `Content-Type: ${contentType}\r\n` +
      'Connection: Upgrade\r\n' +
      'Upgrade: tcp\r\n\r\n',
  );
  setNoDelay(socket);
  return socket;
}

/** The legacy 200 + raw stream over a normal response. */
export function acceptLegacy(req: IncomingMessage, res: ServerResponse, contentType: string): Duplex {
  // Raw bytes, not chunked: a hijacking client reads the connection directly.
  res.useChunkedEncodingByDefault = false;
  res.shouldKeepAlive = false;
  res.writeHead(200, { 'Content-Type': contentType, Connection: 'close' });
  res.flushHeaders();
  setNoDelay(res.socket);
  return Duplex.from({ readable: req, writable: res });
}

function setNoDelay(s: unknown): void {
  const sock = s as { setNoDelay?: (v: boolean) => void } | null;
  sock?.setNoDelay?.(true);
}

/**
 * Reads an upgrade request's body (exec start sends its JSON config with `Upgrade: tcp`) from
 * the bytes after the head and then the socket, and puts back whatever follows it.
 */
export function readUpgradeBody(socket: Duplex, head: Buffer, length: number, limit: number): Promise<Buffer> {
  if (length > limit) return Promise.reject(invalidArgument('request body too large'));
  if (head.length >= length) {
    if (head.length > length) socket.unshift(head.subarray(length));
    return Promise.resolve(head.subarray(0, length));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [head];
    let total = head.length;
    const done = (err?: Error): void => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', done);
      if (err) reject(err);
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      total += chunk.length;
      if (total < length) return;
      socket.pause();
      done();
      const all = Buffer.concat(chunks, total);
      if (total > length) socket.unshift(all.subarray(length));
      resolve(all.subarray(0, length));
    };
    const onEnd = (): void => done(invalidArgument('invalid JSON: got EOF while reading request body'));
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('error', done);
  });
}
