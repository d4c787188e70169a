/**
 * The build engine's backend over the daemon's services: images (lookup, pull, commit, tag),
 * containers (RUN steps run as ordinary containers, then committed and removed) and the
 * snapshotter (COPY/ADD/WORKDIR layers are made in a prepared snapshot mounted on a temp dir,
 * with no container at all).
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdtemp, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { mountAll, unmountAll, type Mount, type Snapshotter } from '../../containerd/snapshots/index.js';
import { parsePlatform } from '../../registry/client/index.js';
import type { BaseImage, BuildBackend, BuildOutput, CommitSpec, RunSpec } from '../../builder/engine/index.js';
import type { ContainersService } from '../containers/service.js';
import { parseImageName, type ImagesService } from '../images/index.js';
import { commitConfigImage } from './config-image.js';
import { dropInitCopyUps, unchangedSnapshot } from './layer-tidy.js';
import { restoreCachedImage, type RestoreSpec } from './restore-image.js';

const MOUNT_TARGETS = ['etc/hosts', 'etc/hostname', 'etc/resolv.conf'];

/** Whether every directory above `rel` inside `root` is a real directory, so the path cannot lead out of the rootfs. */
async function plainAncestors(root: string, rel: string): Promise<boolean> {
  const parts = rel.split('/').filter(Boolean);
  for (let i = 1; i < parts.length; i++) {
    const st = await lstat(join(root, ...parts.slice(0, i))).catch(() => undefined);
    if (!st?.isDirectory()) return false;
  }
  return true;
}

export type BuildContainers = Pick<ContainersService, 'create' | 'start' | 'attach' | 'wait' | 'remove' | 'get'>;

export class ServicesBackend implements BuildBackend {
  readonly platform: { os: string; architecture: string };

  constructor(
    private readonly images: ImagesService,
    private readonly containers: BuildContainers,
    private readonly snapshotter: Snapshotter,
    readonly stateDir: string,
  ) {
    this.platform = { os: images.ctx.platform.os, architecture: images.ctx.platform.architecture };
  }

  findImage(ref: string): BaseImage | undefined {
    try {
      const v = this.images.get(ref);
      return { id: v.id, config: v.config };
    } catch {
      return undefined;
    }
  }

  async pullImage(ref: string, platform: string | undefined, out: BuildOutput): Promise<BaseImage> {
    const v = await this.images.pull({ ref: parseImageName(ref), ...(platform ? { platform: parsePlatform(platform) } : {}) }, out);
    return { id: v.id, config: v.config };
  }

  async createContainer(spec: RunSpec): Promise<string> {
    const { Id } = await this.containers.create({
      config: {
        Image: spec.image, Cmd: spec.argv, Entrypoint: [], Env: spec.env, User: spec.user, WorkingDir: spec.workdir,
        AttachStdout: true, AttachStderr: true, Healthcheck: { Test: ['NONE'] }, Labels: {},
      },
      hostConfig: {
        NetworkMode: spec.networkMode || 'default',
        Mounts: (spec.mounts ?? []).map((m) => (m.type === 'tmpfs'
          ? { Type: 'tmpfs' as const, Target: m.target, ...(m.size ? { TmpfsOptions: { SizeBytes: m.size } } : {}) }
          : { Type: 'bind' as const, Source: m.source!, Target: m.target, ReadOnly: m.readOnly })),
      },
    });
    return Id;
  }

  async startContainer(id: string, onOutput: (data: Buffer) => void): Promise<number> {
    const attached = this.containers.attach(id, false);
    await this.containers.start(id);
    const stream = await attached;
    for await (const chunk of stream.output) onOutput(chunk.data);
    return (await this.containers.wait(id)).StatusCode;
  }

  async commitContainer(id: string, spec: CommitSpec): Promise<string> {
    const rec = this.containers.get(id);
    await this.dropMountTargets(rec.SnapshotKey, spec.parent, spec.mountStubs ?? []);
    await dropInitCopyUps(this.snapshotter, rec.SnapshotKey);
    if (await unchangedSnapshot(this.snapshotter, rec.SnapshotKey)) return this.commitConfig(spec);
    const view = await this.images.commit({
      snapshotKey: rec.SnapshotKey, parentImage: spec.parent, config: spec.config, createdBy: spec.createdBy, ...(spec.author ? { author: spec.author } : {}),
    });
    return view.id;
  }

  /**
   * The runtime creates empty files to bind-mount /etc/hosts, /etc/hostname and
   * /etc/resolv.conf on; Docker keeps them in an init layer, so they never reach a committed
   * layer. Ours are in the container's own snapshot: remove them unless the parent image had them.
   * The same goes for the targets of `RUN --mount` (and the directories made for them), as
   * BuildKit removes its mount stubs.
   */
  private async dropMountTargets(key: string, parent: string | undefined, stubs: readonly string[]): Promise<void> {
    const targets = [...MOUNT_TARGETS];
    for (const s of stubs) {
      for (let p = s.replace(/^\/+|\/+$/g, ''); p && p !== '.'; p = dirname(p)) if (!targets.includes(p)) targets.push(p);
    }
    // Deepest first, so a directory made for a mount is empty by the time it is looked at.
    targets.sort((a, b) => b.split('/').length - a.split('/').length);
    const had = parent
      ? await this.withImageRoot(parent, (root) => Promise.all(targets.map((t) => lstat(join(root, t)).then(() => true, () => false))))
      : targets.map(() => false);
    const dir = await mkdtemp(join(this.stateDir, 'mnt-'));
    try {
      mountAll(await this.snapshotter.mounts(key), dir);
      try {
        for (const [i, t] of targets.entries()) {
          if (had[i] || !await plainAncestors(dir, t)) continue;
          const st = await lstat(join(dir, t)).catch(() => undefined);
          if (st?.isFile() && st.size === 0) await rm(join(dir, t));
          else if (st?.isDirectory()) await rmdir(join(dir, t)).catch(() => undefined);
        }
      } finally {
        unmountAll(dir);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  removeContainer(id: string): Promise<void> {
    return this.containers.remove(id, { force: true, volumes: true });
  }

  /** Prepares a writable snapshot on `image` (or empty), mounts it, runs `fn`, unmounts. */
  private async withSnapshot<T>(key: string, image: string | undefined, fn: (root: string) => Promise<T>): Promise<T> {
    const mounts: Mount[] = image ? (await this.images.prepareRootfs(image, key)).mounts : await this.snapshotter.prepare(key);
    const dir = await mkdtemp(join(this.stateDir, 'mnt-'));
    try {
      mountAll(mounts, dir);
      try {
        return await fn(dir);
      } finally {
        unmountAll(dir);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async commitLayer(spec: CommitSpec, fill: (root: string) => Promise<void>): Promise<string> {
    const key = `build-${randomBytes(8).toString('hex')}`;
    try {
      await this.withSnapshot(key, spec.parent, fill);
      if (await unchangedSnapshot(this.snapshotter, key)) return await this.commitConfig(spec);
      const view = await this.images.commit({
        snapshotKey: key, parentImage: spec.parent, config: spec.config, createdBy: spec.createdBy, ...(spec.author ? { author: spec.author } : {}),
      });
      return view.id;
    } finally {
      await this.snapshotter.remove(key).catch(() => undefined);
    }
  }

  commitConfig(spec: CommitSpec): Promise<string> {
    return commitConfigImage(this.images, spec);
  }

  restoreCached(spec: RestoreSpec): Promise<string> {
    return restoreCachedImage(this.images, spec);
  }

  async withImageRoot<T>(id: string, fn: (root: string) => Promise<T>): Promise<T> {
    const key = `build-from-${randomBytes(8).toString('hex')}`;
    try {
      return await this.withSnapshot(key, id, fn);
    } finally {
      await this.snapshotter.remove(key).catch(() => undefined);
    }
  }

  async tag(id: string, ref: string): Promise<void> {
    const r = parseImageName(ref);
    await this.images.tag(id, r.name, r.tag);
  }
}
