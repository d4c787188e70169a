/**
 * `GET /distribution/{name}/json` (`docker manifest inspect`-like, used by `docker service` and
 * buildx): the registry's descriptor for a reference and the platforms it offers — the index's
 * entries, or the single manifest's config platform — and `POST /auth`, which checks credentials
 * against a registry the way `docker login` needs.
 */
import { readBlobFromRegistry } from './registry-read.js';
import { isIndexMediaType, type Descriptor, type ImageConfig, type Index, type Manifest, type Platform } from '../../oci/image-spec.js';
import type { AuthConfig, CredentialStore, LoginResult } from '../../registry/client/index.js';
import { DOCKER_HUB_AUTH_KEY } from '../../registry/client/index.js';
import { parseNormalizedNamed, tagNameOnly } from '../../registry/reference/index.js';
import type { ImagesContext } from './context.js';

export interface DistributionInspect {
  Descriptor: Descriptor;
  Platforms: Platform[];
}

export async function distributionInspect(ctx: ImagesContext, name: string, credentials?: CredentialStore): Promise<DistributionInspect> {
  const ref = tagNameOnly(parseNormalizedNamed(name));
  const call = credentials ? { credentials } : {};
  const fetched = await ctx.registry.fetchManifest(ref, call);
  const desc: Descriptor = { mediaType: fetched.mediaType, digest: fetched.digest, size: fetched.raw.length };
  const platforms: Platform[] = [];
  if (isIndexMediaType(fetched.mediaType)) {
    const index = JSON.parse(fetched.raw.toString()) as Index;
    for (const m of index.manifests) if (m.platform) platforms.push(m.platform);
  } else {
    const manifest = JSON.parse(fetched.raw.toString()) as Manifest;
    const cfg = JSON.parse((await readBlobFromRegistry(ctx, ref, manifest.config, call)).toString()) as ImageConfig;
    platforms.push({ architecture: cfg.architecture, os: cfg.os, ...(cfg.variant ? { variant: cfg.variant } : {}), ...(cfg['os.version'] ? { 'os.version': cfg['os.version'] } : {}) });
  }
  return { Descriptor: desc, Platforms: platforms };
}

export interface AuthRequest extends AuthConfig {
  serverAddress?: string;
}

export async function login(ctx: ImagesContext, req: AuthRequest): Promise<{ Status: string; IdentityToken: string }> {
  const r: LoginResult = await ctx.registry.login(req.serverAddress || DOCKER_HUB_AUTH_KEY, req.username ?? '', req.password ?? '');
  return { Status: r.status, IdentityToken: r.identityToken ?? '' };
}
