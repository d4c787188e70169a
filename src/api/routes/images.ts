/**
 * Image endpoints: create (pull / import), list, inspect, history, tag, delete, save (one and
 * many), load, prune, push. Thin: parse and validate, one call to the images service, convert,
 * write.
 */
import { invalidArgument } from '../../common/errors.js';
import { parsePlatform } from '../../registry/client/index.js';
import {
  decodeRegistryAuth, encodeMessage, errorMessage, headerCredentials, LIST_FILTERS, parseFilters, PRUNE_FILTERS, withTagOrDigest, type ImagesService,
} from '../../services/images/index.js';
import type { Writable } from 'node:stream';
import { queryBool } from '../query.js';
import type { JSONMessage, ProgressOutput } from '../../services/images/index.js';
import type { ApiRequest, ApiResponse, Route } from '../route.js';

export type ImagesBackend = Pick<ImagesService,
  'pull' | 'import' | 'list' | 'inspect' | 'history' | 'tag' | 'remove' | 'prepareSave' | 'save' | 'load' | 'prune' | 'preparePush' | 'push'>;

/**
 * Progress streams as moby's handlers write them: the response starts with the first message,
 * so a failure before any output is still a plain HTTP error; after that, errors travel in-band
 * as `{"errorDetail":{"message":…},"error":…}` and the stream ends normally.
 */
async function withProgressStream(res: ApiResponse, run: (out: ProgressOutput) => Promise<void>): Promise<void> {
  let stream: Writable | undefined;
  const out: ProgressOutput = {
    write(msg: JSONMessage) {
      stream ??= res.stream(200, 'application/json');
      if (!stream.destroyed) stream.write(encodeMessage(msg));
    },
  };
  try {
    await run(out);
  } catch (e) {
    if (stream === undefined) throw e;
    if (!stream.destroyed) stream.write(encodeMessage(errorMessage(e instanceof Error ? e.message : String(e))));
  }
  if (stream === undefined) stream = res.stream(200, 'application/json');
  stream.end();
}

function credentialsOf(req: ApiRequest) {
  return headerCredentials(decodeRegistryAuth(req.headers['x-registry-auth']));
}

function platformOf(req: ApiRequest) {
  const p = req.query.get('platform');
  return p ? parsePlatform(p) : undefined;
}

export function imageRoutes(images: ImagesBackend): Route[] {
  return [
    {
      method: 'POST', path: '/images/create',
      async handler(req, res) {
        const q = req.query;
        const fromImage = q.get('fromImage');
        const fromSrc = q.get('fromSrc');
        const tag = q.get('tag') ?? undefined;
        const platform = platformOf(req);
        if (fromImage) {
          const ref = withTagOrDigest(fromImage, tag);
          const credentials = credentialsOf(req);
          await withProgressStream(res, async (out) => {
            await images.pull({ ref, ...(platform ? { platform } : {}), ...(credentials ? { credentials } : {}) }, out);
          });
          return;
        }
        if (!fromSrc) throw invalidArgument('fromImage or fromSrc is required');
        const repo = q.get('repo');
        const ref = repo ? withTagOrDigest(repo, tag) : undefined;
        const changes = q.getAll('changes').filter((c) => c !== '');
        const message = q.get('message') ?? undefined;
        await withProgressStream(res, async (out) => {
          await images.import({
            source: fromSrc, body: req.raw, changes,
            ...(ref ? { ref } : {}), ...(message ? { message } : {}), ...(platform ? { platform } : {}),
          }, out);
        });
      },
    },
    {
      method: 'GET', path: '/images/json',
      async handler(req, res) {
        const filters = parseFilters(req.query.get('filters'), LIST_FILTERS);
        // Before API 1.41 a `filter` parameter selected by reference.
        const legacy = req.query.get('filter');
        if (legacy) filters.set('reference', [...(filters.get('reference') ?? []), legacy]);
        res.json(200, images.list({ filters, sharedSize: queryBool(req.query, 'shared-size'), version: req.version }));
      },
    },
    {
      method: 'GET', path: '/images/get',
      async handler(req, res) {
        const job = images.prepareSave(req.query.getAll('names').filter((n) => n !== ''));
        const out = res.stream(200, 'application/x-tar');
        await images.save(job, out).catch((e: unknown) => { out.destroy(e as Error); });
      },
    },
    {
      method: 'POST', path: '/images/load',
      async handler(req, res) {
        await withProgressStream(res, async (out) => { await images.load(req.raw, out); });
      },
    },
    {
      method: 'POST', path: '/images/prune', minVersion: '1.25',
      async handler(req, res) {
        res.json(200, await images.prune(parseFilters(req.query.get('filters'), PRUNE_FILTERS)));
      },
    },
    {
      method: 'GET', path: '/images/{name:.*}/json',
      async handler(req, res) {
        res.json(200, await images.inspect(req.params['name']!, req.version));
      },
    },
    {
      method: 'GET', path: '/images/{name:.*}/history',
      async handler(req, res) {
        res.json(200, images.history(req.params['name']!));
      },
    },
    {
      method: 'GET', path: '/images/{name:.*}/get',
      async handler(req, res) {
        const job = images.prepareSave([req.params['name']!]);
        const out = res.stream(200, 'application/x-tar');
        await images.save(job, out).catch((e: unknown) => { out.destroy(e as Error); });
      },
    },
    {
      method: 'POST', path: '/images/{name:.*}/tag',
      async handler(req, res) {
        const repo = req.query.get('repo');
        if (!repo) throw invalidArgument('repository name (repo) is required');
        await images.tag(req.params['name']!, repo, req.query.get('tag') || undefined);
        res.empty(201);
      },
    },
    {
      method: 'POST', path: '/images/{name:.*}/push',
      async handler(req, res) {
        const job = images.preparePush(req.params['name']!, req.query.get('tag') || undefined, credentialsOf(req));
        await withProgressStream(res, (out) => images.push(job, out));
      },
    },
    {
      method: 'DELETE', path: '/images/{name:.*}',
      async handler(req, res) {
        res.json(200, await images.remove(req.params['name']!, { force: queryBool(req.query, 'force'), noprune: queryBool(req.query, 'noprune') }));
      },
    },
  ];
}
