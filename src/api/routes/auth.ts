/**
 * `POST /auth` (`docker login` through the daemon): checks the credentials against the
 * registry; `{"Status":"Login Succeeded","IdentityToken":…}`, or 401 with Docker's message.
 */
import { invalidArgument } from '../../common/errors.js';
import { fromWire, type ImagesService } from '../../services/images/index.js';
import type { Route } from '../route.js';

export type AuthBackend = Pick<ImagesService, 'login'>;

export function authRoutes(images: AuthBackend): Route[] {
  return [{
    method: 'POST', path: '/auth',
    async handler(req, res) {
      const body = await req.json<Record<string, unknown>>();
      if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidArgument('invalid auth configuration: expected an object');
      for (const k of ['username', 'password', 'auth', 'serveraddress', 'identitytoken', 'registrytoken']) {
        if (body[k] !== undefined && body[k] !== null && typeof body[k] !== 'string') throw invalidArgument(`invalid auth configuration: ${k} must be a string`);
      }
      res.json(200, await images.login(fromWire(body as Parameters<typeof fromWire>[0])));
    },
  }];
}
