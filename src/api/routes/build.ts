/**
 * `POST /build` (the classic builder) and `POST /build/prune`. The body is the context tar,
 * handed to the service as a stream. Like moby's handler, the response starts with the first
 * output line, so failures before it (bad query, unreadable context, Dockerfile parse error)
 * are plain HTTP errors; afterwards they travel in-band as `{"errorDetail":{"code":…}}`.
 */
import type { Writable } from 'node:stream';
import { invalidArgument } from '../../common/errors.js';
import type { BuildMessage, BuildOptions } from '../../builder/engine/index.js';
import { RunFailedError } from '../../builder/engine/index.js';
import type { BuilderService } from '../../services/builder/index.js';
import { encodeMessage } from '../../services/images/index.js';
import { queryBool } from '../query.js';
import type { ApiRequest, Route } from '../route.js';

function jsonParam<T>(q: URLSearchParams, key: string, fallback: T): T {
  const raw = q.get(key);
  if (!raw) return fallback;
  try { return JSON.parse(raw) as T; } catch { throw invalidArgument(`invalid ${key} parameter: ${raw}`); }
}

export function buildOptionsOf(req: ApiRequest): BuildOptions {
  const q = req.query;
  if (q.get('version') === '2') throw invalidArgument('BuildKit is not supported by this daemon; use DOCKER_BUILDKIT=0');
  return {
    dockerfileName: q.get('dockerfile') ?? '',
    tags: q.getAll('t').filter(Boolean),
    quiet: queryBool(q, 'q'),
    noCache: queryBool(q, 'nocache'),
    pull: queryBool(q, 'pull'),
    rm: queryBool(q, 'rm', true),
    forceRm: queryBool(q, 'forcerm'),
    buildArgs: jsonParam<Record<string, string | null>>(q, 'buildargs', {}),
    labels: jsonParam<Record<string, string>>(q, 'labels', {}),
    target: q.get('target') ?? '',
    networkMode: q.get('networkmode') ?? '',
    platform: q.get('platform') || undefined,
    cacheFrom: jsonParam<string[]>(q, 'cachefrom', []),
    remote: q.get('remote') || undefined,
  };
}

export function buildRoutes(builder: Pick<BuilderService, 'build' | 'prune'>): Route[] {
  return [
    {
      method: 'POST', path: '/build',
      async handler(req, res) {
        const opts = buildOptionsOf(req);
        let stream: Writable | undefined;
        // With `q`, the steps' output is kept back and only shown if the build fails.
        const held: BuildMessage[] = [];
        const send = (m: BuildMessage) => {
          stream ??= res.stream(200, 'application/json');
          if (!stream.destroyed) stream.write(encodeMessage(m));
        };
        const out = { write: (m: BuildMessage) => { if (opts.quiet && !m.aux && !m.error) held.push(m); else send(m); } };
        try {
          const id = await builder.build(opts, req.raw, out);
          if (opts.quiet) send({ stream: `${id}\n` });
        } catch (e) {
          if (stream === undefined && held.length === 0) throw e;
          for (const m of held) send(m);
          const message = e instanceof Error ? e.message : String(e);
          send({ errorDetail: { ...(e instanceof RunFailedError ? { code: e.code } : {}), message }, error: message });
        }
        stream ??= res.stream(200, 'application/json');
        stream.end();
      },
    },
    {
      method: 'POST', path: '/build/prune',
      async handler(req, res) {
        res.json(200, await builder.prune(queryBool(req.query, 'all')));
      },
    },
  ];
}
