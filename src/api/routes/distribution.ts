/** `GET /distribution/{name}/json`: a reference's registry descriptor and platforms (API ≥ 1.30). */
import { decodeRegistryAuth, headerCredentials, type ImagesService } from '../../services/images/index.js';
import type { Route } from '../route.js';

export type DistributionBackend = Pick<ImagesService, 'distributionInspect'>;

export function distributionRoutes(images: DistributionBackend): Route[] {
  return [{
    method: 'GET', path: '/distribution/{name:.*}/json', minVersion: '1.30',
    async handler(req, res) {
      const credentials = headerCredentials(decodeRegistryAuth(req.headers['x-registry-auth']));
      res.json(200, await images.distributionInspect(req.params['name']!, credentials));
    },
  }];
}
