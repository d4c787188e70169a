/**
 * Container and exec streams: logs (json-file, multiplexed unless tty), attach and exec start
 * (hijacked connections carrying stdin in and output out, with detach keys), resize.
 */
import { invalidArgument } from '../../common/errors.js';
import { FramePacker, STDERR, STDOUT } from '../../common/stdcopy.js';
import type { ContainersService } from '../../services/containers/service.js';
import type { ExecService, ExecConfig } from '../../services/containers/exec.js';
import { readLogs } from '../../services/containers/logs.js';
import { queryBool, queryInt } from '../query.js';
import { parseDetachKeys } from './detach-keys.js';
import { replayLogs, serveAttach } from './attach-session.js';
import { attachWsRoute } from './attach-ws.js';
import type { Route } from '../route.js';

function timeParam(q: URLSearchParams, key: string): number | undefined {
  const v = q.get(key);
  if (!v || v === '0') return undefined;
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw invalidArgument(`invalid value for "${key}": ${v}`);
  return t / 1000;
}

export interface IoRouteDeps { containers: ContainersService; execs: ExecService }

export function containerIoRoutes(d: IoRouteDeps): Route[] {
  const svc = d.containers;
  return [
    {
      method: 'GET', path: '/containers/{id}/logs',
      async handler(req, res) {
        const rec = svc.get(req.params.id!);
        const q = req.query;
        const stdout = queryBool(q, 'stdout');
        const stderr = queryBool(q, 'stderr');
        if (!stdout && !stderr) throw invalidArgument('Bad parameters: you must choose at least one stream');
        const driver = rec.HostConfig.LogConfig?.Type || 'json-file';
        if (driver === 'none') throw invalidArgument(`configured logging driver does not support reading`);
        const tailRaw = q.get('tail');
        const tail = !tailRaw || tailRaw === 'all' ? undefined : queryInt(q, 'tail');
        const follow = queryBool(q, 'follow');
        const timestamps = queryBool(q, 'timestamps');
        const tty = rec.Config.Tty === true;
        const out = res.stream(200, tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream');
        let gone = false;
        let stopGone: () => void = () => undefined;
        const clientGone = new Promise<void>((r) => { stopGone = r; });
        const hangUp = new AbortController();
        req.raw.on('close', () => { gone = true; stopGone(); hangUp.abort(); });
        const stopped = follow ? Promise.race([svc.wait(rec.Id, 'not-running', hangUp.signal).then(() => undefined), clientGone]) : undefined;
        // Entries are packed into writes of about 64 KiB (a million-line log is a million
        // entries); when following, what arrived goes out at once rather than waiting to fill.
        const packer = new FramePacker(tty);
        const send = async (buf: Buffer | undefined) => {
          if (buf && !out.write(buf)) await new Promise((r) => out.once('drain', r));
        };
        for await (const entries of readLogs(rec.LogPath, { stdout, stderr, since: timeParam(q, 'since'), until: timeParam(q, 'until'), tail, follow, stopped })) {
          if (gone) break;
          for (const e of entries) {
            const full = packer.add(e.stream === 'stderr' ? STDERR : STDOUT, timestamps ? `${e.time} ${e.log}` : e.log);
            if (full) await send(full);
          }
          if (follow) await send(packer.take());
        }
        await send(packer.take());
        out.end();
      },
    },
    {
      method: 'POST', path: '/containers/{id}/attach',
      async handler(req, res) {
        const rec = svc.get(req.params.id!);
        const q = req.query;
        const stdin = queryBool(q, 'stdin');
        const opts = { stdin, stdout: queryBool(q, 'stdout'), stderr: queryBool(q, 'stderr') };
        const detachKeys = parseDetachKeys(q.get('detachKeys') || undefined);
        const tty = rec.Config.Tty === true;
        const stream = queryBool(q, 'stream');
        svc.checkAttachable(rec, req.params.id!);
        if (stream && !['created', 'running', 'paused', 'exited'].includes(rec.State.Status)) {
          svc.task(rec); // throws Docker's conflict
        }
        const sock = await res.hijack(tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream');
        if (queryBool(q, 'logs')) await replayLogs(sock, rec.LogPath, { ...opts, raw: tty }).catch(() => undefined);
        if (!stream) {
          sock.end();
          return;
        }
        const att = await svc.attach(rec.Id, stdin).catch((e) => { sock.destroy(); throw e; });
        await serveAttach(sock, att, { ...opts, raw: tty, closeOnEof: rec.Config.StdinOnce === true, detachKeys: tty ? detachKeys : undefined });
      },
    },
    attachWsRoute(svc),
    {
      method: 'POST', path: '/containers/{id}/resize',
      async handler(req, res) {
        const rec = svc.get(req.params.id!);
        const h = queryInt(req.query, 'h', 0);
        const w = queryInt(req.query, 'w', 0);
        await svc.task(rec).resize(h, w);
        res.empty(200);
      },
    },
    {
      method: 'POST', path: '/containers/{id}/exec',
      async handler(req, res) {
        const body = await req.json<ExecConfig>();
        res.json(201, { Id: d.execs.create(req.params.id!, body ?? {}) });
      },
    },
    {
      method: 'POST', path: '/exec/{id}/start',
      async handler(req, res) {
        const body = (await req.json<{ Detach?: boolean; Tty?: boolean; ConsoleSize?: [number, number] }>()) ?? {};
        const e = d.execs.get(req.params.id!);
        if (body.ConsoleSize) e.Config.ConsoleSize = body.ConsoleSize;
        if (body.Detach) {
          await d.execs.start(e.ID);
          res.empty(200);
          return;
        }
        const tty = e.Config.Tty === true;
        const started = await d.execs.start(e.ID);
        const att = await started.handle!.attach({ stdin: e.Config.AttachStdin === true });
        const sock = await res.hijack(tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream');
        await serveAttach(sock, att, {
          raw: tty, detachKeys: tty ? parseDetachKeys(e.Config.DetachKeys) : undefined, stdin: e.Config.AttachStdin === true, stdout: e.Config.AttachStdout !== false, stderr: e.Config.AttachStderr !== false,
          closeOnEof: true, beforeEnd: () => d.execs.settled(e.ID),
        });
      },
    },
    {
      method: 'POST', path: '/exec/{id}/resize',
      async handler(req, res) {
        await d.execs.resize(req.params.id!, queryInt(req.query, 'h', 0), queryInt(req.query, 'w', 0));
        res.empty(200);
      },
    },
    { method: 'GET', path: '/exec/{id}/json', async handler(req, res) { res.json(200, d.execs.inspect(req.params.id!)); } },
  ];
}
