/**
 * Volume endpoints: `GET /volumes`, `POST /volumes/create`, `GET /volumes/{name}`,
 * `DELETE /volumes/{name}`, `POST /volumes/prune`. Thin: parse, one call to the volumes
 * service, write. Before API 1.42 prune removed named volumes too, so old clients get `all`.
 */
import { invalidArgument } from '../../common/errors.js';
import type { CreateVolumeRequest, VolumesService } from '../../services/volumes/index.js';
import { queryBool, queryFilters } from '../query.js';
import type { Route } from '../route.js';
import type { Volume as ApiVolume, VolumeListResponse } from '../types/generated.js';
import { versionLess } from '../version.js';

export type VolumesBackend = Pick<VolumesService, 'list' | 'create' | 'inspect' | 'remove' | 'prune'>;

function stringMap(body: Record<string, unknown>, key: string): Record<string, string> | null | undefined {
  const v = body[key];
  if (v === undefined || v === null) return v;
  if (typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) {
    throw invalidArgument(`invalid ${key}: expected an object of strings`);
  }
  return v as Record<string, string>;
}

function optString(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidArgument(`invalid ${key}: expected a string`);
  return v;
}

/** The create body, checked field by field (a wrong type is a 400, never a crash). */
export function parseCreateBody(body: unknown): CreateVolumeRequest {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw invalidArgument('invalid volume create request: expected an object');
  const b = body as Record<string, unknown>;
  const req: CreateVolumeRequest = {};
  const name = optString(b, 'Name');
  const driver = optString(b, 'Driver');
  const opts = stringMap(b, 'DriverOpts');
  const labels = stringMap(b, 'Labels');
  if (name !== undefined) req.Name = name;
  if (driver !== undefined) req.Driver = driver;
  if (opts !== undefined) req.DriverOpts = opts;
  if (labels !== undefined) req.Labels = labels;
  return req;
}

/** The generated type says Labels/Options are maps; Docker writes Go's nil maps as null, and so do we. */
function toApi(v: ReturnType<VolumesBackend['inspect']>): ApiVolume {
  return v as unknown as ApiVolume;
}

export function volumeRoutes(volumes: VolumesBackend): Route[] {
  return [
    {
      method: 'GET', path: '/volumes',
      async handler(req, res) {
        const out = volumes.list(queryFilters(req.query));
        const body: VolumeListResponse = { Volumes: out.Volumes.map(toApi), Warnings: out.Warnings };
        res.json(200, body);
      },
    },
    {
      method: 'POST', path: '/volumes/create',
      async handler(req, res) {
        const v = await volumes.create(parseCreateBody(await req.json()));
        res.json(201, toApi(v));
      },
    },
    {
      method: 'GET', path: '/volumes/{name}',
      async handler(req, res) {
        res.json(200, toApi(volumes.inspect(req.params['name']!)));
      },
    },
    {
      method: 'DELETE', path: '/volumes/{name}',
      async handler(req, res) {
        await volumes.remove(req.params['name']!, { force: queryBool(req.query, 'force') });
        res.empty(204);
      },
    },
    {
      method: 'POST', path: '/volumes/prune', minVersion: '1.25',
      async handler(req, res) {
        const filters = queryFilters(req.query);
        if (versionLess(req.version, '1.42')) filters.set('all', new Set(['true']));
        res.json(200, await volumes.prune(filters));
      },
    },
  ];
}
