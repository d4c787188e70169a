/**
 * GET /containers/{id}/attach/ws: attach over a websocket, as dockerd serves it. Output goes out
 * unmultiplexed (the stream kinds are not told apart), in binary frames from API 1.28 and text
 * frames below; every message the client sends, text or binary, is stdin. Before 1.42 the
 * stdin/stdout/stderr parameters are ignored and all three are attached. Closing the websocket
 * ends the session (and closes the container's stdin when it is StdinOnce).
 */
import { Duplex } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { invalidArgument } from '../../common/errors.js';
import type { ContainersService } from '../../services/containers/service.js';
import { queryBool } from '../query.js';
import type { Route } from '../route.js';
import { versionLess } from '../version.js';
import { replayLogs, serveAttach } from './attach-session.js';
import { parseDetachKeys } from './detach-keys.js';

let server: WebSocketServer | undefined;

/** Completes the handshake; undefined when ws refused it (it answered 400 and closed). */
function accept(req: IncomingMessage, socket: Duplex): Promise<WebSocket | undefined> {
  server ??= new WebSocketServer({ noServer: true, perMessageDeflate: false });
  return new Promise((resolve) => {
    const gone = () => resolve(undefined);
    socket.once('close', gone);
    server!.handleUpgrade(req, socket, Buffer.alloc(0), (ws) => {
      socket.off('close', gone);
      resolve(ws);
    });
  });
}

/** The websocket as a byte stream: messages in, frames of the chosen kind out. */
function wsStream(ws: WebSocket, binary: boolean): Duplex {
  const d = new Duplex({
    allowHalfOpen: false,
    read() { if (ws.isPaused) ws.resume(); },
    write(chunk: Buffer, _enc, cb) { ws.send(chunk, { binary }, cb); },
    final(cb) { ws.close(1000); cb(); },
    destroy(err, cb) {
      if (ws.readyState !== ws.CLOSED) ws.terminate();
      cb(err);
    },
  });
  ws.on('message', (data: Buffer) => { if (!d.push(data)) ws.pause(); });
  // EOF first (it may close the container's stdin), then the session ends.
  ws.on('close', () => { d.push(null); setImmediate(() => d.destroy()); });
  ws.on('error', (e) => d.destroy(e));
  return d;
}

export function attachWsRoute(svc: ContainersService): Route {
  return {
    method: 'GET', path: '/containers/{id}/attach/ws',
    async handler(req, res) {
      const rec = svc.get(req.params.id!);
      const q = req.query;
      const all = versionLess(req.version, '1.42');
      const opts = {
        stdin: all || queryBool(q, 'stdin'), stdout: all || queryBool(q, 'stdout'), stderr: all || queryBool(q, 'stderr'),
      };
      const detachKeys = parseDetachKeys(q.get('detachKeys') || undefined);
      const stream = queryBool(q, 'stream');
      svc.checkAttachable(rec, req.params.id!);
      if (stream && !['created', 'running', 'paused', 'exited'].includes(rec.State.Status)) {
        svc.task(rec); // throws Docker's conflict
      }
      if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') throw invalidArgument('not websocket protocol');
      const socket = res.takeover();
      if (!socket) throw invalidArgument('not websocket protocol');
      const ws = await accept(req.raw, socket);
      if (!ws) return;
      const conn = wsStream(ws, !versionLess(req.version, '1.28'));
      if (queryBool(q, 'logs')) await replayLogs(conn, rec.LogPath, { ...opts, raw: true }).catch(() => undefined);
      if (!stream) {
        conn.end();
        return;
      }
      const att = await svc.attach(rec.Id, opts.stdin).catch((e) => { conn.destroy(); throw e; });
      await serveAttach(conn, att, { ...opts, raw: true, closeOnEof: rec.Config.StdinOnce === true, detachKeys: rec.Config.Tty ? detachKeys : undefined });
    },
  };
}
