/**
 * Credentials as the Engine API carries them: `X-Registry-Auth` is base64url (padding optional)
 * of JSON `{username, password, auth, serveraddress, identitytoken, registrytoken}`. Docker uses
 * the header's credentials for the registry of the image whatever `serveraddress` says, so the
 * store built from it answers for every server.
 */
import { invalidArgument } from '../../common/errors.js';
import type { AuthConfig, CredentialStore } from '../../registry/client/index.js';

export interface HeaderAuth extends AuthConfig {
  serverAddress?: string;
}

interface WireAuth {
  username?: string;
  password?: string;
  auth?: string;
  serveraddress?: string;
  identitytoken?: string;
  registrytoken?: string;
}

/** Decodes the header value; empty or absent → undefined; malformed → invalid-argument. */
export function decodeRegistryAuth(value: string | string[] | undefined): HeaderAuth | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v || !v.trim()) return undefined;
  if (!/^[A-Za-z0-9_\-+/]*=*$/.test(v.trim())) throw invalidArgument('invalid X-Registry-Auth header: not base64url');
  let wire: WireAuth;
  try {
    wire = JSON.parse(Buffer.from(v.trim().replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as WireAuth;
  } catch (e) {
    throw invalidArgument(`invalid X-Registry-Auth header: ${(e as Error).message}`, e);
  }
  if (wire === null || typeof wire !== 'object') throw invalidArgument('invalid X-Registry-Auth header: not a JSON object');
  return fromWire(wire);
}

/** The `POST /auth` body and the header share one shape. */
export function fromWire(wire: WireAuth): HeaderAuth {
  const out: HeaderAuth = {};
  let { username, password } = wire;
  if (wire.auth && !username) {
    const s = Buffer.from(wire.auth, 'base64').toString('utf8');
    const i = s.indexOf(':');
    if (i > 0) { username = s.slice(0, i); password = s.slice(i + 1); }
  }
  if (username) out.username = username;
  if (password) out.password = password;
  if (wire.identitytoken) out.identityToken = wire.identitytoken;
  if (wire.registrytoken) out.registryToken = wire.registrytoken;
  if (wire.serveraddress) out.serverAddress = wire.serveraddress;
  return out;
}

/** A credential store answering with `auth` for any server; undefined when there is nothing. */
export function headerCredentials(auth: HeaderAuth | undefined): CredentialStore | undefined {
  if (!auth || (!auth.username && !auth.password && !auth.identityToken && !auth.registryToken)) return undefined;
  const { serverAddress: _s, ...cfg } = auth;
  return { get: async () => cfg };
}
