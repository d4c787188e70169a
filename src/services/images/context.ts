/**
 * What every verb of the images service works with, assembled once by the service from the
 * dependencies the composition root injects. Verb modules take this instead of the service so
 * that each stays a plain function over explicit collaborators.
 */
import type { Store } from '../../containerd/content/index.js';
import type { SnapshotRootProvider } from '../../containerd/gc/index.js';
import type { LeaseManager } from '../../containerd/metadata/index.js';
import type { Snapshotter } from '../../containerd/snapshots/index.js';
import type { PlatformSpec, RegistryClient } from '../../registry/client/index.js';
import type { ImageIndex } from './image-index.js';
import type { RwLock, Semaphore } from './sync.js';
import type { ImageEvent, ImageUsage } from './types.js';

export interface ImagesContext {
  content: Store;
  snapshotter: Snapshotter;
  /** Shown as GraphDriver.Name (`overlay2` for the overlay snapshotter, `vfs` for native). */
  graphDriver: string;
  registry: RegistryClient;
  index: ImageIndex;
  leases: LeaseManager | undefined;
  usage: ImageUsage;
  snapshotRoots: SnapshotRootProvider | undefined;
  downloads: Semaphore;
  uploads: Semaphore;
  /** Shared by operations that write content; exclusive for garbage collection. */
  lock: RwLock;
  platform: PlatformSpec;
  emit(e: ImageEvent): void;
}
