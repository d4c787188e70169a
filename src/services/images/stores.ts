/**
 * Opening the stores the images service sits on, for the composition root: the content store
 * at `<data-root>/content`, the snapshotter at `<data-root>/snapshots` (overlay when the kernel
 * and the data-root's filesystem allow it, else native — shown as `overlay2` / `vfs` like
 * Docker's graph drivers), and a registry client configured from daemon.json's keys. The
 * containers service must share the same content store and snapshotter instances.
 *
 *   const stores = await openImageStores(config.dataRoot, config.storageDriver);
 *   const registry = registryClientFromConfig(config);
 *   const images = await ImagesService.open({ dataRoot: config.dataRoot, ...stores, registry,
 *     maxConcurrentDownloads: config.maxConcurrentDownloads, maxConcurrentUploads: config.maxConcurrentUploads,
 *     onEvent: (e) => events.publish(…) });
 *   routes: [...imageRoutes(images), ...distributionRoutes(images), ...authRoutes(images)]
 *   later: images.setUsage(containers) and images.setSnapshotRoots(containers)
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalStore } from '../../containerd/content/index.js';
import { NativeSnapshotter, OverlaySnapshotter, overlaySupported, type Snapshotter } from '../../containerd/snapshots/index.js';
import { DEFAULT_CERTS_DIRS, RegistryClient } from '../../registry/client/index.js';

export interface ImageStores {
  content: LocalStore;
  snapshotter: Snapshotter;
  graphDriver: string;
}

/** `storageDriver` is daemon.json's `storage-driver`: `overlay2`/`overlay`, `vfs`/`native`, or '' (auto). */
export async function openImageStores(dataRoot: string, storageDriver = ''): Promise<ImageStores> {
  await mkdir(dataRoot, { recursive: true, mode: 0o711 });
  const content = new LocalStore(join(dataRoot, 'content'));
  const root = join(dataRoot, 'snapshots');
  const wantNative = storageDriver === 'vfs' || storageDriver === 'native';
  if (!wantNative && (await overlaySupported(dataRoot))) {
    return { content, snapshotter: await OverlaySnapshotter.open(root), graphDriver: 'overlay2' };
  }
  return { content, snapshotter: await NativeSnapshotter.open(root), graphDriver: 'vfs' };
}

export interface RegistryConfigView {
  registryMirrors?: string[];
  insecureRegistries?: string[];
  /** Extra certs.d directories (Docker's `/etc/docker/certs.d` and Skiff's are always read). */
  certsDirs?: string[];
}

export function registryClientFromConfig(c: RegistryConfigView): RegistryClient {
  return new RegistryClient({
    mirrors: c.registryMirrors ?? [],
    insecureRegistries: c.insecureRegistries ?? [],
    certsDirs: [...DEFAULT_CERTS_DIRS, ...(c.certsDirs ?? [])],
    userAgent: 'skiff',
  });
}
