/**
 * Snapshots: the filesystems of images and containers, modelled on containerd's Snapshotter.
 * A snapshot is `active` (writable, from prepare), a `view` (read-only, from view) or
 * `committed` (immutable, from commit; it can only be a parent). Snapshots form chains through
 * their parents; an image's layers become committed snapshots named by chain id, a container's
 * rootfs an active snapshot on top. A snapshotter only describes how to mount a snapshot
 * (`Mount[]`); mountAll performs it.
 */
export type SnapshotKind = 'active' | 'view' | 'committed';

export interface SnapshotInfo {
  kind: SnapshotKind;
  /** The key (active, view) or the committed name. */
  name: string;
  /** Name of the committed parent, if any. */
  parent?: string;
  labels: Record<string, string>;
  /** RFC 3339. */
  created: string;
  updated: string;
}

/** One mount to perform, containerd-style: options mix flags (ro, rbind) and fs data. */
export interface Mount {
  type: string;
  source: string;
  options: string[];
}

export interface Usage {
  /** Bytes of disk used (allocated blocks), hardlinks counted once. */
  size: number;
  inodes: number;
}

export interface SnapshotOptions {
  labels?: Record<string, string>;
}

export interface Snapshotter {
  /** A writable snapshot on top of committed `parent`. Conflict if `key` is in use. */
  prepare(key: string, parent?: string, opts?: SnapshotOptions): Promise<Mount[]>;
  /** A read-only snapshot of committed `parent`. */
  view(key: string, parent?: string, opts?: SnapshotOptions): Promise<Mount[]>;
  /** Turns active `key` into the immutable snapshot `name`; `key` ceases to exist. */
  commit(name: string, key: string, opts?: SnapshotOptions): Promise<void>;
  /** How to mount an active snapshot or view. */
  mounts(key: string): Promise<Mount[]>;
  /** Removes a snapshot that has no children. */
  remove(key: string): Promise<void>;
  stat(key: string): Promise<SnapshotInfo>;
  walk(): Promise<SnapshotInfo[]>;
  usage(key: string): Promise<Usage>;
}

export { OverlaySnapshotter, overlaySupported } from './overlay.js';
export { NativeSnapshotter } from './native.js';
export { mountAll, unmountAll } from './mount.js';
export { chainId, chainIds } from './chain-id.js';
export { unpackLayers } from './unpack.js';
export type { UnpackOptions, UnpackResult } from './unpack.js';
export { writeSnapshotDiff, snapshotChanges } from './diff.js';
