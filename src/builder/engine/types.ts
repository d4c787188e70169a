/**
 * What the build engine needs from the daemon, as small role interfaces so the engine never
 * touches services or disks directly: image lookup and pull, running a step in a container,
 * committing layers and config-only images, tagging. The engine speaks only image ids and
 * image configs; the builder service implements these over the images and containers services.
 */
import type { ImageConfig, ImageRunConfig } from '../../oci/image-spec.js';

export interface BaseImage {
  /** `sha256:…` config digest. */
  id: string;
  config: ImageConfig;
}

/** Docker's JSON stream messages, as the engine emits them. */
export interface BuildMessage {
  stream?: string;
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: object;
  aux?: unknown;
  errorDetail?: { code?: number; message: string };
  error?: string;
}

export interface BuildOutput {
  write(msg: BuildMessage): void;
}

/** A mount of a RUN step: a host path bound in, or a fresh tmpfs. */
export interface RunMount {
  type: 'bind' | 'tmpfs';
  /** Host path (bind only). */
  source?: string;
  target: string;
  readOnly: boolean;
  /** tmpfs size in bytes. */
  size?: number;
}

export interface RunSpec {
  /** The image to run on. */
  image: string;
  argv: string[];
  /** Extra environment (build args); the image's own Env is inherited. */
  env: string[];
  user: string;
  workdir: string;
  networkMode: string;
  /** `RUN --mount` mounts and heredoc scripts. */
  mounts?: RunMount[];
}

export interface CommitSpec {
  /** The image the new one extends, or undefined for scratch. */
  parent: string | undefined;
  /** The new image's run config. */
  config: ImageRunConfig;
  /** History `created_by`. */
  createdBy: string;
  /** MAINTAINER, when the stage set one. */
  author?: string;
  /** Mount targets of the step: removed from the layer when the mount created them and they are empty. */
  mountStubs?: string[];
}

export interface BuildBackend {
  /** An existing image by name or id, or undefined. */
  findImage(ref: string): BaseImage | undefined;
  pullImage(ref: string, platform: string | undefined, out: BuildOutput): Promise<BaseImage>;
  /** Creates a container for a RUN step; the container is left for commit or removal. */
  createContainer(spec: RunSpec): Promise<string>;
  /** Starts it, streams its output to `onOutput` and resolves with its exit code. */
  startContainer(id: string, onOutput: (data: Buffer) => void): Promise<number>;
  commitContainer(id: string, spec: CommitSpec): Promise<string>;
  removeContainer(id: string): Promise<void>;
  /** A new layer on `spec.parent` made by `fill(root)` on a writable rootfs mounted at root. */
  commitLayer(spec: CommitSpec, fill: (root: string) => Promise<void>): Promise<string>;
  /** A new image sharing the parent's layers, with a new config and an empty-layer history entry. */
  commitConfig(spec: CommitSpec): Promise<string>;
  /**
   * `--cache-from`: a new image of `parent` plus history entry `historyIndex` of image `source`
   * (and that entry's layer), with run config `config`.
   */
  restoreCached(spec: { parent: string | undefined; source: string; historyIndex: number; config: ImageRunConfig }): Promise<string>;
  /** Runs `fn` on a read-only view of an image's root filesystem (COPY --from). */
  withImageRoot<T>(id: string, fn: (root: string) => Promise<T>): Promise<T>;
  tag(id: string, ref: string): Promise<void>;
  /** Where the engine may put temp files and its cache index (`<data-root>/builder`). */
  stateDir: string;
  /** Default platform, for scratch images. */
  platform: { os: string; architecture: string };
}

export interface BuildOptions {
  dockerfileName: string;
  tags: string[];
  quiet: boolean;
  noCache: boolean;
  pull: boolean;
  /** Remove intermediate containers after a successful build (default true). */
  rm: boolean;
  /** Always remove intermediate containers, even after a failure. */
  forceRm: boolean;
  buildArgs: Record<string, string | null>;
  labels: Record<string, string>;
  target: string;
  networkMode: string;
  platform: string | undefined;
  cacheFrom: string[];
  /** A git or http(s) URL the daemon fetches the context from, instead of the request body. */
  remote?: string;
}
