/**
 * `docker pull` (POST /images/create?fromImage=): resolve the reference (through an index to
 * the platform's manifest), fetch the config, fetch and unpack the layers, keep the manifest,
 * then point the tag and the repo digest at the image. Everything that can fail before the first
 * progress line (bad reference, unknown repository, bad credentials) throws, so the API answers
 * it with a plain HTTP error as Docker does; later failures travel in the progress stream.
 */
import { Readable } from 'node:stream';
import { EngineError, invalidArgument, isEngineError } from '../../common/errors.js';
import { readBlob, writeBlob } from '../../containerd/content/index.js';
import type { Descriptor, ImageConfig } from '../../oci/image-spec.js';
import type { CredentialStore, PlatformSpec, ResolvedImage } from '../../registry/client/index.js';
import { familiarName, familiarString, type Reference } from '../../registry/reference/index.js';
import type { ImagesContext } from './context.js';
import { pullLayers } from './pull-layers.js';
import { statusMessage, type ProgressOutput } from './progress.js';
import type { ImageView } from './types.js';

export interface PullOptions {
  /** Normalised reference with a tag or a digest. */
  ref: Reference;
  platform?: PlatformSpec;
  credentials?: CredentialStore;
}

/** Docker's wording for a repository the registry will not show us. */
function translate(e: unknown, ref: Reference): unknown {
  if (!isEngineError(e)) return e;
  if (e.kind === 'unauthorized' || e.kind === 'forbidden' || (e.kind === 'not-found' && /name unknown/.test(e.message))) {
    const detail = e.message.replace(/^manifest for \S+ not found: /, '');
    return new EngineError('not-found', `pull access denied for ${familiarName(ref)}, repository does not exist or may require 'docker login': ${detail}`, { cause: e });
  }
  return e;
}

/** Puts a small document into the content store (no-op when present). */
export async function putBlob(ctx: ImagesContext, desc: Pick<Descriptor, 'digest' | 'size'>, raw: Buffer): Promise<void> {
  await writeBlob(ctx.content, `put-${desc.digest}`, async () => ({ stream: Readable.from([raw]), offset: 0 }), { digest: desc.digest, size: raw.length });
}

export async function pull(ctx: ImagesContext, opts: PullOptions, out: ProgressOutput): Promise<ImageView> {
  const { ref } = opts;
  const call = opts.credentials ? { credentials: opts.credentials } : {};
  return ctx.lock.shared(async () => {
    let resolved: ResolvedImage;
    try {
      resolved = await ctx.registry.resolve(ref, { ...call, platform: opts.platform ?? ctx.platform });
    } catch (e) {
      throw translate(e, ref);
    }
    const before = ctx.index.byRecord(ref.toString());
    out.write(statusMessage(`Pulling from ${ref.path}`, ref.digest ?? ref.tag ?? 'latest'));

    const cfgDesc = resolved.manifest.config;
    await writeBlob(ctx.content, `pull-${cfgDesc.digest}`, await ctx.registry.blobSource(resolved.name, cfgDesc, call), cfgDesc);
    const config = JSON.parse((await readBlob(ctx.content, cfgDesc)).toString()) as ImageConfig;
    const diffIds = config.rootfs?.diff_ids ?? [];
    if (diffIds.length !== resolved.manifest.layers.length) {
      throw invalidArgument(`invalid image ${resolved.digest}: ${resolved.manifest.layers.length} layers but ${diffIds.length} diff ids`);
    }
    const downloaded = await pullLayers(ctx, {
      ref: resolved.name, layers: resolved.manifest.layers, diffIds, ...(opts.credentials ? { credentials: opts.credentials } : {}),
    }, out);

    const manifestDesc: Descriptor = { mediaType: resolved.mediaType, digest: resolved.digest, size: resolved.raw.length };
    await putBlob(ctx, manifestDesc, resolved.raw);
    const repoDigest = resolved.indexDigest ?? resolved.digest;
    const records = [{ name: ref.trimmed().withDigest(repoDigest).toString(), target: manifestDesc, labels: {} }];
    if (ref.tag !== undefined) records.push({ name: ref.toString(), target: manifestDesc, labels: {} });
    await ctx.index.put(records);
    const view = ctx.index.byId(cfgDesc.digest);
    if (!view) throw new EngineError('internal', `pulled image ${cfgDesc.digest} is not listed`);

    out.write(statusMessage(`Digest: ${repoDigest}`));
    const upToDate = before?.id === view.id && downloaded === 0;
    out.write(statusMessage(`Status: ${upToDate ? 'Image is up to date' : 'Downloaded newer image'} for ${familiarString(ref)}`));
    ctx.emit({ action: 'pull', id: familiarString(ref), name: familiarString(ref) });
    return view;
  });
}
