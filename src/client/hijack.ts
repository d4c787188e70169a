/**
 * Docker's hijacked HTTP connection: the client asks for `Upgrade: tcp`, the daemon answers
 * 101 Switching Protocols and from then on the socket carries raw (or stdcopy-framed) bytes both
 * ways. Closing our write side (half-close) tells the daemon stdin has ended while output keeps
 * flowing. A daemon that answers 200 without upgrading still streams the output in the body.
 */
import type { ClientRequest, IncomingMessage } from 'node:http';
import { Duplex, PassThrough } from 'node:stream';
import { apiErrorFrom, ConnectError, isDialError } from './errors.js';

export function hijack(make: () => ClientRequest, body: string | undefined, host: string): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const req = make();
    req.on('error', (e) => reject(isDialError(e) ? new ConnectError(host, e) : e));
    req.on('upgrade', (_res: IncomingMessage, socket, head: Buffer) => {
      if (head.length) socket.unshift(head);
      socket.setNoDelay?.(true);
      resolve(socket);
    });
    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      if (status < 200 || status >= 300) {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => reject(apiErrorFrom(status, Buffer.concat(chunks).toString())));
        return;
      }
      // Not upgraded: output arrives as the body, and there is nowhere to write stdin.
      const out = new PassThrough();
      res.pipe(out);
      resolve(Duplex.from({ readable: out, writable: new PassThrough() }));
    });
    req.end(body);
  });
}
