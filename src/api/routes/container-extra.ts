/**
 * Container endpoints for files and limits: `docker cp` (HEAD/GET/PUT /containers/{id}/archive),
 * `docker export` and `docker update`. The path's stat travels in the
 * `X-Docker-Container-Path-Stat` header (base64 JSON), from which the CLI decides whether it is
 * copying a file or a directory.
 */
import { invalidArgument } from '../../common/errors.js';
import type { ContainersService } from '../../services/containers/service.js';
import { archivePath, extractToDir, statPath, type ContainerPathStat } from '../../services/containers/archive.js';
import { exportContainer } from '../../services/containers/export.js';
import { updateContainer, type UpdateRequest } from '../../services/containers/update.js';
import { queryBool } from '../query.js';
import type { Route } from '../route.js';

export interface ContainerExtraRouteDeps {
  containers: ContainersService;
}

const STAT_HEADER = 'X-Docker-Container-Path-Stat';

export function encodePathStat(stat: ContainerPathStat): string {
  return Buffer.from(JSON.stringify(stat)).toString('base64');
}

function pathParam(q: URLSearchParams): string {
  const path = q.get('path');
  if (!path) throw invalidArgument('path cannot be empty');
  return path;
}

export function containerExtraRoutes(d: ContainerExtraRouteDeps): Route[] {
  const svc = d.containers;
  return [
    {
      method: 'HEAD', path: '/containers/{id}/archive',
      async handler(req, res) {
        const stat = await statPath(svc, req.params.id!, pathParam(req.query));
        res.raw.setHeader(STAT_HEADER, encodePathStat(stat));
        res.empty(200);
      },
    },
    {
      method: 'GET', path: '/containers/{id}/archive',
      async handler(req, res) {
        await archivePath(svc, req.params.id!, pathParam(req.query), (stat) => res.stream(200, 'application/x-tar', { [STAT_HEADER]: encodePathStat(stat) }));
      },
    },
    {
      method: 'PUT', path: '/containers/{id}/archive',
      async handler(req, res) {
        const q = req.query;
        await extractToDir(svc, req.params.id!, pathParam(q), req.raw, {
          noOverwriteDirNonDir: queryBool(q, 'noOverwriteDirNonDir'),
          copyUIDGID: queryBool(q, 'copyUIDGID'),
        });
        res.empty(200);
      },
    },
    {
      method: 'GET', path: '/containers/{id}/export',
      async handler(req, res) {
        await exportContainer(svc, req.params.id!, () => res.stream(200, 'application/x-tar'));
      },
    },
    {
      method: 'POST', path: '/containers/{id}/update',
      async handler(req, res) {
        const body = await req.json<UpdateRequest>();
        if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalidArgument('invalid update request: body must be a JSON object');
        res.json(200, await updateContainer(svc, req.params.id!, body));
      },
    },
  ];
}
