/**
 * `POST /commit`: a new image from a container's changes (`docker commit`), paused while the diff
 * is taken unless `pause=false`, with `changes` (Dockerfile instructions), author and comment.
 */
import { invalidArgument } from '../../common/errors.js';
import { parseNormalizedNamed } from '../../registry/reference/index.js';
import type { ContainersService } from '../../services/containers/service.js';
import type { ImagesService } from '../../services/images/index.js';
import type { ImageRunConfig } from '../../oci/image-spec.js';
import { queryBool } from '../query.js';
import type { Route } from '../route.js';

export function commitRoutes(d: { containers: ContainersService; images: ImagesService }): Route[] {
  return [{
    method: 'POST', path: '/commit',
    async handler(req, res) {
      const q = req.query;
      const ref = q.get('container');
      if (!ref) throw invalidArgument('No container name or ID supplied');
      const rec = d.containers.get(ref);
      const repo = q.get('repo');
      const named = repo ? parseNormalizedNamed(`${repo}${q.get('tag') ? `:${q.get('tag')}` : ''}`) : undefined;
      const body = (await req.json<ImageRunConfig>()) ?? {};
      const pause = queryBool(q, 'pause', true) && rec.State.Status === 'running';
      if (pause) await d.containers.pause(rec.Id);
      try {
        const c = rec.Config;
        const config: ImageRunConfig = {
          User: c.User, ExposedPorts: c.ExposedPorts as ImageRunConfig['ExposedPorts'], Env: c.Env, Cmd: c.Cmd ?? undefined,
          Entrypoint: c.Entrypoint ?? undefined, Volumes: c.Volumes as ImageRunConfig['Volumes'], WorkingDir: c.WorkingDir,
          Labels: c.Labels, StopSignal: c.StopSignal ?? undefined, ...body,
        };
        const view = await d.images.commit({
          snapshotKey: rec.SnapshotKey,
          parentImage: rec.Image,
          config,
          changes: q.getAll('changes').flatMap((x) => x.split('\n')).filter(Boolean),
          author: q.get('author') ?? undefined,
          comment: q.get('comment') ?? undefined,
          createdBy: [rec.Path, ...rec.Args].join(' '),
          ref: named,
        });
        res.json(201, { Id: view.id });
      } finally {
        if (pause) await d.containers.unpause(rec.Id).catch(() => undefined);
      }
    },
  }];
}
