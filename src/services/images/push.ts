/**
 * `docker push` (POST /images/{name}/push): uploads the kept blobs of each tag of a repository
 * (or the one tag asked for) and then its manifest, with Docker's progress lines: `The push
 * refers to repository [...]`, `Preparing`, `Waiting`, `Pushing` with a progress bar, `Pushed`,
 * `Layer already exists`, `Mounted from <repo>` (a cross-repository mount on the same registry),
 * then `<tag>: digest: … size: …` and the `aux` message the CLI reads. Uploads share the
 * daemon-wide upload limit. Unknown tags fail before any output.
 */
import { PassThrough, type Readable } from 'node:stream';
import { EngineError } from '../../common/errors.js';
import type { Descriptor } from '../../oci/image-spec.js';
import type { CredentialStore } from '../../registry/client/index.js';
import { familiarName, familiarString, parseNormalizedNamed, type Reference } from '../../registry/reference/index.js';
import type { ImagesContext } from './context.js';
import { CountingStream } from './layer-stream.js';
import { recordRef } from './names.js';
import { ProgressThrottle, progressMessage, shortId, statusMessage, type ProgressOutput } from './progress.js';
import type { ImageView } from './types.js';

export interface PushJob {
  repo: Reference;
  tags: Array<{ ref: Reference; view: ImageView }>;
  credentials?: CredentialStore;
}

/** Finds what to push; throws not-found as Docker words it. */
export function preparePush(ctx: ImagesContext, name: string, tag: string | undefined, credentials?: CredentialStore): PushJob {
  const parsed = parseNormalizedNamed(name);
  const repo = parsed.trimmed();
  const wanted = tag ? repo.withTag(tag) : parsed.tag !== undefined ? parsed : undefined;
  const tags: PushJob['tags'] = [];
  for (const r of ctx.index.store.list()) {
    const ref = recordRef(r.name);
    if (!ref || ref.tag === undefined || ref.name !== repo.name) continue;
    if (wanted && ref.tag !== wanted.tag) continue;
    const view = ctx.index.byRecord(r.name);
    if (view) tags.push({ ref, view });
  }
  if (tags.length === 0) {
    throw new EngineError('not-found', `An image does not exist locally with the tag: ${wanted ? familiarString(wanted) : familiarName(repo)}`);
  }
  tags.sort((a, b) => a.ref.tag!.localeCompare(b.ref.tag!));
  return { repo, tags, ...(credentials ? { credentials } : {}) };
}

/** Another repository of the same registry known to hold the blob (from our repo digests). */
function mountSource(ctx: ImagesContext, repo: Reference, view: ImageView): Reference | undefined {
  for (const r of ctx.index.store.list()) {
    const ref = recordRef(r.name);
    if (ref?.digest !== undefined && ref.domain === repo.domain && ref.path !== repo.path && ctx.index.byRecord(r.name)?.id === view.id) return ref.trimmed();
  }
  return undefined;
}

async function pushLayer(ctx: ImagesContext, job: PushJob, d: Descriptor, from: Reference | undefined, out: ProgressOutput, throttle: ProgressThrottle): Promise<void> {
  const id = shortId(d.digest);
  const call = job.credentials ? { credentials: job.credentials } : {};
  if (ctx.uploads.busy) out.write(progressMessage('Waiting', id));
  const release = await ctx.uploads.acquire();
  try {
    if (await ctx.registry.blobExists(job.repo, d, call)) {
      out.write(progressMessage('Layer already exists', id));
      return;
    }
    let opened = false;
    const start = Math.floor(Date.now() / 1000);
    const open = (): Readable => {
      opened = true;
      const counter = new CountingStream((n) => throttle.update('Pushing', id, { current: n, total: d.size, start }));
      const pass = new PassThrough();
      ctx.content.read({ digest: d.digest }).then((s) => {
        s.on('error', (e) => counter.destroy(e));
        s.pipe(counter).pipe(pass);
        counter.on('error', (e) => pass.destroy(e));
      }, (e: Error) => pass.destroy(e));
      return pass;
    };
    await ctx.registry.pushBlob(job.repo, d, open, { ...call, ...(from ? { mountFrom: from } : {}) });
    out.write(progressMessage(opened ? 'Pushed' : `Mounted from ${familiarName(from ?? job.repo)}`, id));
  } finally {
    release();
  }
}

export async function runPush(ctx: ImagesContext, job: PushJob, out: ProgressOutput): Promise<void> {
  const call = job.credentials ? { credentials: job.credentials } : {};
  out.write(statusMessage(`The push refers to repository [${job.repo.name}]`));
  const throttle = new ProgressThrottle(out);
  for (const { ref, view } of job.tags) {
    const layers = [...view.manifest.layers].reverse();
    const seen = new Set<string>();
    for (const l of layers) {
      if (seen.has(l.digest)) continue;
      seen.add(l.digest);
      out.write(progressMessage('Preparing', shortId(l.digest)));
    }
    const from = mountSource(ctx, job.repo, view);
    await Promise.all([...seen].map((digest) => pushLayer(ctx, job, layers.find((l) => l.digest === digest)!, from, out, throttle)));
    const cfg = view.manifest.config;
    await ctx.registry.pushBlob(job.repo, cfg, () => {
      const pass = new PassThrough();
      ctx.content.read({ digest: cfg.digest }).then((s) => s.pipe(pass), (e: Error) => pass.destroy(e));
      return pass;
    }, call);
    const raw = Buffer.from(JSON.stringify(view.manifest));
    const stored = await ctx.content.read({ digest: view.manifestDesc.digest });
    const parts: Buffer[] = [];
    for await (const c of stored) parts.push(c as Buffer);
    const manifestRaw = parts.length ? Buffer.concat(parts) : raw;
    const digest = await ctx.registry.pushManifest(ref, manifestRaw, view.manifestDesc.mediaType, call);
    await ctx.index.put([{ name: ref.trimmed().withDigest(digest).toString(), target: view.manifestDesc, labels: {} }]);
    out.write(statusMessage(`${ref.tag}: digest: ${digest} size: ${manifestRaw.length}`));
    out.write({ progressDetail: {}, aux: { Tag: ref.tag, Digest: digest, Size: manifestRaw.length } });
    ctx.emit({ action: 'push', id: familiarString(ref), name: familiarString(ref) });
  }
}
