/**
 * The images service (the dockerd model over the lifecycle layer): pull, push, tag, remove,
 * list, inspect, history, save, load, import, prune, commit, distribution inspect and registry
 * login. The composition root builds it with `ImagesService.open(deps)`; the Engine API
 * handlers call one method each. Reads are served from the in-memory ImageIndex.
 */
import { join } from 'node:path';
import { invalidArgument } from '../../common/errors.js';
import type { Store } from '../../containerd/content/index.js';
import { collectGarbage, type GcResult, type SnapshotRootProvider } from '../../containerd/gc/index.js';
import { JsonImageStore, JsonLeaseManager, type ImageStore, type LeaseManager } from '../../containerd/metadata/index.js';
import type { Snapshotter } from '../../containerd/snapshots/index.js';
import { defaultPlatform, type PlatformSpec, type RegistryClient } from '../../registry/client/index.js';
import { familiarString } from '../../registry/reference/index.js';
import type { ImagesContext } from './context.js';
import { toHistory, toInspect } from './convert.js';
import { ImageIndex } from './image-index.js';
import { listImages, type ListOptions } from './list.js';
import { withTagOrDigest } from './names.js';
import { pull, type PullOptions } from './pull.js';
import type { ProgressOutput } from './progress.js';
import { removeImage } from './remove.js';
import { graphDriverData, prepareRootfs, type PreparedRootfs } from './rootfs.js';
import type { Readable, Writable } from 'node:stream';
import type { CredentialStore } from '../../registry/client/index.js';
import { commitFromDiff, type CommitOptions } from './commit.js';
import { distributionInspect, login, type AuthRequest, type DistributionInspect } from './distribution.js';
import { importImage, type ImportOptions } from './import.js';
import { loadImages } from './load.js';
import { pruneImages } from './prune.js';
import { preparePush, runPush, type PushJob } from './push.js';
import { prepareSave, writeSave, type SaveJob } from './save.js';
import { RwLock, Semaphore } from './sync.js';
import { noImageUsage, type FilterArgs, type PruneReport, type DeleteResponseItem, type HistoryItem, type ImageEvent, type ImageInspect, type ImageSummary, type ImageUsage, type ImageView } from './types.js';

export interface ImagesServiceDeps {
  /** The daemon's data-root; image records and leases live in `<dataRoot>/images/`. */
  dataRoot: string;
  content: Store;
  snapshotter: Snapshotter;
  /** GraphDriver.Name in inspect: `overlay2` (overlay snapshotter) or `vfs` (native). */
  graphDriver?: string;
  registry: RegistryClient;
  /** Defaults to stores opened under `<dataRoot>/images/`. */
  images?: ImageStore;
  leases?: LeaseManager;
  /** The containers service; until it is wired, no image counts as used. */
  usage?: ImageUsage;
  /** Snapshots the GC must keep besides images and leases (containers' rootfs). */
  snapshotRoots?: SnapshotRootProvider;
  /** daemon.json `max-concurrent-downloads` (default 3) and `-uploads` (default 5). */
  maxConcurrentDownloads?: number;
  maxConcurrentUploads?: number;
  platform?: PlatformSpec;
  /** Receives Docker's image events (pull, tag, untag, delete, …). */
  onEvent?: (e: ImageEvent) => void;
}

export class ImagesService {
  protected constructor(readonly ctx: ImagesContext) {}

  static async open(deps: ImagesServiceDeps): Promise<ImagesService> {
    const root = join(deps.dataRoot, 'images');
    const images = deps.images ?? await JsonImageStore.open(root);
    const leases = deps.leases ?? await JsonLeaseManager.open(root);
    const index = new ImageIndex(images, deps.content);
    await index.load();
    const ctx: ImagesContext = {
      content: deps.content,
      snapshotter: deps.snapshotter,
      graphDriver: deps.graphDriver ?? 'overlay2',
      registry: deps.registry,
      index,
      leases,
      usage: deps.usage ?? noImageUsage,
      snapshotRoots: deps.snapshotRoots,
      downloads: new Semaphore(deps.maxConcurrentDownloads ?? 3),
      uploads: new Semaphore(deps.maxConcurrentUploads ?? 5),
      lock: new RwLock(),
      platform: deps.platform ?? defaultPlatform(),
      emit: (e) => deps.onEvent?.(e),
    };
    return new this(ctx);
  }

  /** Wires the containers service in after construction (it is built after images). */
  setUsage(usage: ImageUsage): void {
    this.ctx.usage = usage;
  }

  setSnapshotRoots(roots: SnapshotRootProvider): void {
    this.ctx.snapshotRoots = roots;
  }

  /** The image behind a name, id or short id; not-found with Docker's wording. */
  get(refOrId: string): ImageView {
    return this.ctx.index.resolve(refOrId);
  }

  pull(opts: PullOptions, out: ProgressOutput): Promise<ImageView> {
    return pull(this.ctx, opts, out);
  }

  list(opts: ListOptions): ImageSummary[] {
    return listImages(this.ctx.index, opts);
  }

  async inspect(refOrId: string, version: string): Promise<ImageInspect> {
    const v = this.get(refOrId);
    return toInspect(v, version, { Name: this.ctx.graphDriver, Data: await graphDriverData(this.ctx, v) });
  }

  history(refOrId: string): HistoryItem[] {
    const v = this.get(refOrId);
    return toHistory(v, v.layerSizes);
  }

  /** `docker tag`: points `repo[:tag]` at the image `source` names. */
  async tag(source: string, repo: string, tag?: string): Promise<void> {
    const v = this.get(source);
    const ref = withTagOrDigest(repo, tag);
    if (ref.digest !== undefined) throw invalidArgument('refusing to create a tag with a digest reference');
    await this.ctx.index.put([{ name: ref.toString(), target: v.manifestDesc, labels: {} }]);
    this.ctx.emit({ action: 'tag', id: v.id, name: familiarString(ref) });
  }

  async remove(refOrId: string, opts: { force?: boolean; noprune?: boolean } = {}): Promise<DeleteResponseItem[]> {
    const r = await removeImage(this.ctx.index, this.ctx.usage, refOrId, opts);
    for (const item of r.items) {
      if (item.Untagged) this.ctx.emit({ action: 'untag', id: item.Untagged, name: item.Untagged });
      if (item.Deleted) this.ctx.emit({ action: 'delete', id: item.Deleted });
    }
    if (r.deleted) await this.gc();
    return r.items;
  }

  /** Removes blobs and snapshots no image, lease or container needs any more. */
  gc(): Promise<GcResult> {
    return this.ctx.lock.exclusive(async () => {
      this.ctx.index.forgetUnreferenced();
      return collectGarbage({
        content: this.ctx.content, snapshotter: this.ctx.snapshotter, images: this.ctx.index.store,
        ...(this.ctx.leases ? { leases: this.ctx.leases } : {}),
        ...(this.ctx.snapshotRoots ? { inUse: this.ctx.snapshotRoots } : {}),
      });
    });
  }

  /**
   * For the containers service: an active snapshot `containerKey` on top of the image's layers,
   * and the mounts that make it the container's rootfs.
   */
  prepareRootfs(refOrId: string, containerKey: string, labels?: Record<string, string>): Promise<PreparedRootfs> {
    return prepareRootfs(this.ctx, this.get(refOrId), containerKey, labels);
  }

  /** Resolves what `docker push name[:tag]` would push; not-found before any output. */
  preparePush(name: string, tag: string | undefined, credentials?: CredentialStore): PushJob {
    return preparePush(this.ctx, name, tag, credentials);
  }

  push(job: PushJob, out: ProgressOutput): Promise<void> {
    return runPush(this.ctx, job, out);
  }

  /** Resolves the names of `docker save`; not-found before any byte. */
  prepareSave(names: string[]): SaveJob {
    if (names.length === 0) throw invalidArgument('no images specified');
    return prepareSave(this.ctx, names);
  }

  save(job: SaveJob, out: Writable): Promise<void> {
    return writeSave(this.ctx, job, out);
  }

  /** `docker load`; resolves with the loaded image ids. */
  load(input: Readable, out: ProgressOutput): Promise<string[]> {
    return loadImages(this.ctx, input, out);
  }

  /** `docker import`; resolves with the new image id. */
  import(opts: ImportOptions, out: ProgressOutput): Promise<string> {
    return importImage(this.ctx, opts, out);
  }

  prune(filters: FilterArgs): Promise<PruneReport> {
    return pruneImages(this.ctx, filters, () => this.gc());
  }

  /** For the containers service (commit) and the builder: a new image from a snapshot's changes. */
  commit(opts: CommitOptions): Promise<ImageView> {
    return commitFromDiff(this.ctx, opts);
  }

  distributionInspect(name: string, credentials?: CredentialStore): Promise<DistributionInspect> {
    return distributionInspect(this.ctx, name, credentials);
  }

  login(req: AuthRequest): Promise<{ Status: string; IdentityToken: string }> {
    return login(this.ctx, req);
  }
}
