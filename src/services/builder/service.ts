/**
 * The builder service (`POST /build`, `POST /build/prune`): opens the streamed context on disk
 * under `<data-root>/builder/`, runs the legacy build engine over the daemon's services, tags
 * the result and writes Docker's closing lines (`aux` ID, `Successfully built`, `Successfully
 * tagged`). Whatever happens, the context directory is removed (after a success, in the background).
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { invalidArgument } from '../../common/errors.js';
import type { Snapshotter } from '../../containerd/snapshots/index.js';
import { openContext } from '../../builder/context/index.js';
import { BuildCache, LegacyBuild, pruneCacheMounts, short, type BuildOptions, type BuildOutput } from '../../builder/engine/index.js';
import { parseImageName, type ImagesService } from '../images/index.js';
import { familiar } from '../images/names.js';
import { ServicesBackend, type BuildContainers } from './backend.js';
import { remoteContext } from './remote.js';

export interface BuilderServiceDeps {
  dataRoot: string;
  images: ImagesService;
  containers: BuildContainers;
  snapshotter: Snapshotter;
}

export interface BuildPruneReport {
  CachesDeleted: string[];
  SpaceReclaimed: number;
}

export class BuilderService {
  readonly stateDir: string;
  private readonly backend: ServicesBackend;
  /** One index for all builds, so concurrent builds never overwrite each other's entries. */
  private readonly cache: BuildCache;

  constructor(private readonly deps: BuilderServiceDeps) {
    this.stateDir = join(deps.dataRoot, 'builder');
    mkdirSync(this.stateDir, { recursive: true, mode: 0o700 });
    // Leftovers of a build interrupted by a crash: contexts and temp mount points.
    for (const name of readdirSync(this.stateDir)) {
      if (/^(context|mnt|add)-|^docker-build-git/.test(name)) rmSync(join(this.stateDir, name), { recursive: true, force: true });
    }
    this.backend = new ServicesBackend(deps.images, deps.containers, deps.snapshotter, this.stateDir);
    this.cache = BuildCache.open(this.stateDir);
  }

  /** Checks what can be checked before any output (tags), so such errors are plain HTTP errors. */
  validate(opts: BuildOptions): void {
    for (const t of opts.tags) parseImageName(t);
    if (opts.target && !/^[a-zA-Z0-9][a-zA-Z0-9._-]*$/.test(opts.target)) throw invalidArgument(`invalid target name: ${opts.target}`);
  }

  /** Builds from the context tar in `body`; progress and the closing lines go to `out`. */
  async build(opts: BuildOptions, body: Readable, out: BuildOutput): Promise<string> {
    this.validate(opts);
    // A remote context replaces the request body, which is left unread (as dockerd does).
    const remote = opts.remote ? await remoteContext(opts.remote, opts.dockerfileName, this.stateDir) : undefined;
    let context;
    try {
      context = await openContext(remote?.body ?? body, this.stateDir, opts.dockerfileName);
    } finally {
      remote?.cleanup();
    }
    let ok = false;
    try {
      const id = await new LegacyBuild(this.backend, context, opts, out, this.cache).run();
      out.write({ aux: { ID: id } });
      out.write({ stream: `Successfully built ${short(id)}\n` });
      for (const t of opts.tags) {
        await this.backend.tag(id, t);
        out.write({ stream: `Successfully tagged ${familiar(parseImageName(t))}\n` });
      }
      ok = true;
      return id;
    } finally {
      // After a success the client need not wait for a large context to be deleted; a crash
      // meanwhile leaves it to the constructor's sweep.
      if (ok) void context.close().catch(() => undefined);
      else await context.close();
    }
  }

  /**
   * Forgets the build cache index (the images themselves are pruned with `image prune`); with
   * `all`, also the `RUN --mount=type=cache` directories no build is using, as BuildKit does.
   */
  async prune(all: boolean): Promise<BuildPruneReport> {
    const deleted = await this.cache.prune((id) => this.backend.findImage(id) !== undefined, all);
    if (all) deleted.push(...await pruneCacheMounts(this.stateDir));
    return { CachesDeleted: deleted, SpaceReclaimed: 0 };
  }
}
