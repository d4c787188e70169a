/**
 * Fetching and unpacking an image's layers for a pull, with Docker's progress lines.
 *
 * Downloads run in parallel under the daemon-wide download limit, each streaming into the
 * content store (compressed blobs are kept: save and push need them). Unpacking is sequential,
 * bottom layer first, because each snapshot sits on the one below. A layer whose turn to unpack
 * has come when its first bytes arrive is teed: the same bytes go to the content store and to
 * the unpacker, so the common case (the base layer, a one-layer image) is unpacked while it
 * downloads without being read back. Other layers are unpacked from the store once committed.
 * Either way the unpacker only commits its snapshot after the blob's digest has been verified.
 */
import { PassThrough, type Readable } from 'node:stream';
import { isEngineError, type EngineError } from '../../common/errors.js';
import { writeBlob, type Writer } from '../../containerd/content/index.js';
import { chainIds, unpackLayers } from '../../containerd/snapshots/index.js';
import type { Descriptor } from '../../oci/image-spec.js';
import type { CredentialStore } from '../../registry/client/index.js';
import type { Reference } from '../../registry/reference/index.js';
import type { ImagesContext } from './context.js';
import { UNCOMPRESSED_SIZE_LABEL } from './image-index.js';
import { layerStream } from './layer-stream.js';
import { ProgressThrottle, progressMessage, shortId, statusMessage, type ProgressOutput } from './progress.js';

export interface LayerPullSpec {
  ref: Reference;
  layers: Descriptor[];
  diffIds: string[];
  credentials?: CredentialStore;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

async function snapshotExists(ctx: ImagesContext, name: string): Promise<boolean> {
  try {
    await ctx.snapshotter.stat(name);
    return true;
  } catch (e) {
    if (isEngineError(e) && e.kind === 'not-found') return false;
    throw e;
  }
}

async function openWriter(ctx: ImagesContext, desc: Descriptor): Promise<Writer | undefined | 'busy'> {
  try {
    return await ctx.content.writer({ ref: `pull-${desc.digest}`, desc: { digest: desc.digest, size: desc.size } });
  } catch (e) {
    if (isEngineError(e) && e.kind === 'already-exists') return undefined;
    if (isEngineError(e) && e.kind === 'unavailable') return 'busy';
    throw e;
  }
}

function waitDrainOrClose(s: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => { s.off('drain', done); s.off('close', done); resolve(); };
    s.once('drain', done);
    s.once('close', done);
  });
}

/** Pulls and unpacks; resolves with the number of layers that had to be downloaded. */
export async function pullLayers(ctx: ImagesContext, spec: LayerPullSpec, out: ProgressOutput): Promise<number> {
  const { layers, diffIds } = spec;
  const chains = chainIds(diffIds);
  const throttle = new ProgressThrottle(out);
  const haveBlob = await Promise.all(layers.map((l) => ctx.content.info(l.digest).then(() => true, () => false)));
  const haveSnap = await Promise.all(chains.map((c) => snapshotExists(ctx, c)));

  const firstIndex = new Map<string, number>();
  layers.forEach((l, i) => { if (!firstIndex.has(l.digest)) firstIndex.set(l.digest, i); });
  const toDownload = layers.filter((l, i) => !haveBlob[i] && firstIndex.get(l.digest) === i);
  const shown = new Set<string>();
  layers.forEach((l, i) => {
    const id = shortId(l.digest);
    if (shown.has(id)) return;
    shown.add(id);
    out.write(haveBlob[i] && haveSnap[i] ? statusMessage('Already exists', id) : progressMessage('Pulling fs layer', id));
  });

  const abort = new AbortController();
  let readyFor = -1;
  const tees = new Map<number, Deferred<Readable>>();
  const teeOffer = (i: number): Deferred<Readable> => {
    let d = tees.get(i);
    if (!d) { d = deferred<Readable>(); tees.set(i, d); }
    return d;
  };

  const download = async (desc: Descriptor): Promise<void> => {
    const id = shortId(desc.digest);
    const i = firstIndex.get(desc.digest)!;
    if (ctx.downloads.busy) out.write(progressMessage('Waiting', id));
    const release = await ctx.downloads.acquire();
    try {
      abort.signal.throwIfAborted();
      const w = await openWriter(ctx, desc);
      if (w === 'busy') {
        // Another pull is fetching this blob: wait for it through the store's own retry loop.
        const source = await ctx.registry.blobSource(spec.ref, desc, spec.credentials ? { credentials: spec.credentials } : {});
        await writeBlob(ctx.content, `pull-${desc.digest}`, source, desc, { signal: abort.signal });
      } else {
        let branch: PassThrough | undefined;
        try {
          if (w && w.offset > 0) await w.truncate(0);
          const stream = await ctx.registry.fetchBlob(spec.ref, desc, spec.credentials ? { credentials: spec.credentials } : {});
          const start = Math.floor(Date.now() / 1000);
          let current = 0;
          let first = true;
          for await (const chunk of stream as AsyncIterable<Buffer>) {
            if (first) {
              first = false;
              if (readyFor === i) {
                branch = new PassThrough();
                teeOffer(i).resolve(branch);
              }
            }
            abort.signal.throwIfAborted();
            if (w) await w.write(chunk);
            current += chunk.length;
            throttle.update('Downloading', id, { current, total: desc.size, start });
            if (branch && !branch.destroyed && !branch.write(chunk)) await waitDrainOrClose(branch);
          }
          out.write(progressMessage('Verifying Checksum', id));
          if (w) await w.commit(desc.size, desc.digest).catch((e: EngineError) => { if (!isEngineError(e) || e.kind !== 'already-exists') throw e; });
          branch?.end();
        } catch (e) {
          branch?.destroy(e as Error);
          throw e;
        } finally {
          await w?.close();
        }
      }
      out.write(progressMessage('Download complete', id));
    } finally {
      release();
    }
  };

  const done = new Map<string, Promise<void>>();
  for (const l of toDownload) {
    const p = download(l);
    p.catch(() => abort.abort());
    done.set(l.digest, p);
  }
  const downloaded = (d: string): Promise<void> => done.get(d) ?? Promise.resolve();

  const openLayer = async (i: number): Promise<Readable> => {
    readyFor = i;
    const desc = layers[i]!;
    const id = shortId(desc.digest);
    const teed = firstIndex.get(desc.digest) === i && done.has(desc.digest)
      ? await Promise.race([teeOffer(i).promise, downloaded(desc.digest).then(() => undefined)])
      : undefined;
    let source: Readable;
    if (teed) {
      source = teed;
    } else {
      await downloaded(desc.digest);
      source = await ctx.content.read({ digest: desc.digest });
    }
    const ls = layerStream(source, diffIds[i]!, teed ? undefined : (n) => throttle.update('Extracting', id, { current: n, total: desc.size }));
    ls.stream.once('end', () => {
      if (teed) out.write(progressMessage('Extracting', id, { current: desc.size, total: desc.size }));
      sizes.set(i, ls.uncompressed());
    });
    return ls.stream;
  };

  const sizes = new Map<number, number>();
  try {
    // unpackLayers commits each snapshot once its stream ended; report completion per layer in order.
    let reported = 0;
    const report = async (upTo: number): Promise<void> => {
      for (; reported < upTo; reported++) {
        const size = sizes.get(reported);
        const d = layers[reported]!;
        // A layer whose snapshot existed but whose blob did not was only downloaded.
        const fetchedOnly = size === undefined && !haveBlob[reported] && firstIndex.get(d.digest) === reported;
        if (size === undefined && !fetchedOnly) continue;
        await downloaded(d.digest);
        if (size !== undefined) {
          await ctx.content.update({ digest: d.digest, labels: { [UNCOMPRESSED_SIZE_LABEL]: String(size) } }, [`labels.${UNCOMPRESSED_SIZE_LABEL}`]);
        }
        out.write(progressMessage('Pull complete', shortId(d.digest)));
      }
    };
    await unpackLayers(ctx.snapshotter, diffIds, async (i) => {
      await report(i);
      return openLayer(i);
    });
    await report(layers.length);
    await Promise.all(done.values());
  } catch (e) {
    abort.abort();
    await Promise.allSettled(done.values());
    throw e;
  }
  return toDownload.length;
}
