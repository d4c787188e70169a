/**
 * Container endpoints (the spec's Container tag, minus the streams in container-io.ts):
 * create, list, inspect, start/stop/restart/kill, pause, wait, remove, rename, top, stats,
 * changes, prune. Each handler parses, calls the containers service, converts and writes.
 */
import type { ContainerConfig, HostConfig, NetworkingConfig } from '../types/generated.js';
import { invalidArgument } from '../../common/errors.js';
import type { ContainersService } from '../../services/containers/service.js';
import { changes, inspectContainer, listContainersWithSizes, prune, statsSample, top } from '../../services/containers/queries.js';
import { queryBool, queryInt } from '../query.js';
import type { Route } from '../route.js';

export interface ContainerRouteDeps {
  containers: ContainersService;
  /** Image ids matching a reference (for `ancestor=` filters). */
  imageIds(ref: string): Set<string>;
}

type CreateBody = ContainerConfig & { HostConfig?: HostConfig; NetworkingConfig?: NetworkingConfig };

function stopOpts(q: URLSearchParams): { signal?: string; timeout?: number } {
  return { signal: q.get('signal') || undefined, timeout: queryInt(q, 't') };
}

export function containerRoutes(d: ContainerRouteDeps): Route[] {
  const svc = d.containers;
  return [
    {
      method: 'POST', path: '/containers/create',
      async handler(req, res) {
        const body = await req.json<CreateBody>();
        if (!body || typeof body !== 'object') throw invalidArgument('config cannot be empty in order to create a container');
        const { HostConfig: hostConfig, NetworkingConfig: networking, ...config } = body;
        const name = req.query.get('name') || undefined;
        res.json(201, await svc.create({ name, config, hostConfig: hostConfig ?? {}, networking }));
      },
    },
    {
      method: 'GET', path: '/containers/json',
      async handler(req, res) {
        const q = req.query;
        res.json(200, await listContainersWithSizes(svc, { all: queryBool(q, 'all'), limit: queryInt(q, 'limit'), filters: q.get('filters'), size: queryBool(q, 'size') }, d.imageIds));
      },
    },
    { method: 'GET', path: '/containers/{id}/json', async handler(req, res) { res.json(200, await inspectContainer(svc, req.params.id!, queryBool(req.query, 'size'))); } },
    {
      method: 'POST', path: '/containers/{id}/start',
      async handler(req, res) {
        const r = await svc.start(req.params.id!);
        res.empty(r === 'already' ? 304 : 204);
      },
    },
    {
      method: 'POST', path: '/containers/{id}/stop',
      async handler(req, res) { res.empty((await svc.stop(req.params.id!, stopOpts(req.query))) === 'already' ? 304 : 204); },
    },
    { method: 'POST', path: '/containers/{id}/restart', async handler(req, res) { await svc.restart(req.params.id!, stopOpts(req.query)); res.empty(); } },
    { method: 'POST', path: '/containers/{id}/kill', async handler(req, res) { await svc.kill(req.params.id!, req.query.get('signal') || undefined); res.empty(); } },
    { method: 'POST', path: '/containers/{id}/pause', async handler(req, res) { await svc.pause(req.params.id!); res.empty(); } },
    { method: 'POST', path: '/containers/{id}/unpause', async handler(req, res) { await svc.unpause(req.params.id!); res.empty(); } },
    {
      method: 'POST', path: '/containers/{id}/wait',
      async handler(req, res) {
        const cond = req.query.get('condition') || 'not-running';
        if (cond !== 'not-running' && cond !== 'next-exit' && cond !== 'removed') throw invalidArgument(`invalid condition: "${cond}"`);
        const id = svc.get(req.params.id!).Id;
        // Headers go out at once (the CLI waits for them before starting the container); the
        // body follows when the condition is met.
        const out = res.stream(200, 'application/json');
        // A client that hangs up stops waiting (the docker CLI's `run -d` always does).
        const gone = new AbortController();
        res.raw.once('close', () => { if (!res.raw.writableFinished) gone.abort(); });
        const result = await svc.wait(id, cond, gone.signal);
        out.end(JSON.stringify(result) + '\n');
      },
    },
    {
      method: 'DELETE', path: '/containers/{id}',
      async handler(req, res) {
        if (queryBool(req.query, 'link')) throw invalidArgument('Legacy links are not supported');
        await svc.remove(req.params.id!, { force: queryBool(req.query, 'force'), volumes: queryBool(req.query, 'v') });
        res.empty();
      },
    },
    {
      method: 'POST', path: '/containers/{id}/rename',
      async handler(req, res) {
        const name = req.query.get('name');
        if (!name) throw invalidArgument('Neither old nor new names may be empty');
        await svc.rename(req.params.id!, name);
        res.empty();
      },
    },
    { method: 'GET', path: '/containers/{id}/top', async handler(req, res) { res.json(200, await top(svc, req.params.id!, req.query.get('ps_args') || undefined)); } },
    { method: 'GET', path: '/containers/{id}/changes', async handler(req, res) { res.json(200, await changes(svc, req.params.id!)); } },
    {
      method: 'GET', path: '/containers/{id}/stats',
      async handler(req, res) {
        const rec = svc.get(req.params.id!);
        const stream = queryBool(req.query, 'stream', true) && !queryBool(req.query, 'one-shot');
        if (!stream) {
          const first = await statsSample(svc, rec);
          // Non-streaming stats carry a precpu sample one interval apart unless one-shot.
          const doc = queryBool(req.query, 'one-shot') ? first.doc : (await new Promise((r) => setTimeout(r, 1000)), (await statsSample(svc, rec, first.sample)).doc);
          res.json(200, doc);
          return;
        }
        const out = res.stream(200, 'application/json');
        let closed = false;
        out.on('close', () => { closed = true; });
        req.raw.on('close', () => { closed = true; });
        let prev;
        while (!closed) {
          const s = await statsSample(svc, rec, prev);
          prev = s.sample;
          if (!out.write(JSON.stringify(s.doc) + '\n')) await new Promise((r) => out.once('drain', r));
          await new Promise((r) => setTimeout(r, 1000));
          if (rec.State.Status === 'exited' || !svc.store.find(rec.Id)) break;
        }
        out.end();
      },
    },
    {
      method: 'POST', path: '/containers/prune',
      async handler(req, res) { res.json(200, await prune(svc, req.query.get('filters'))); },
    },
  ];
}
