/**
 * Fixtures for the images integration tests: an ImagesService over a temp data-root (overlay
 * snapshotter when the host has it, else native), a Debian docker-registry from the registry
 * tests' fixtures, and images built here — a busybox rootfs layer from /usr/bin/busybox, small
 * layers from entry lists (whiteouts included) — pushed with the registry client.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { LocalStore } from '../../../src/containerd/content/index.js';
import { digestOf } from '../../../src/containerd/content/digest.js';
import { NativeSnapshotter, OverlaySnapshotter, overlaySupported, type Snapshotter } from '../../../src/containerd/snapshots/index.js';
import { MediaType, type Descriptor, type ImageConfig, type Manifest } from '../../../src/oci/image-spec.js';
import { RegistryClient } from '../../../src/registry/client/index.js';
import { ImagesService } from '../../../src/services/images/index.js';
import type { JSONMessage } from '../../../src/services/images/progress.js';
import { makeBusyboxRootfs, tempDir } from '../../helpers/rootfs.js';
import { mountsUnder } from '../snapshots/helpers.js';

export { startRegistry, type RegistryProcess, SKOPEO_BIN, REGISTRY_BIN } from '../registry/fixtures.js';

export const isRoot = process.getuid?.() === 0;

export interface Env {
  dir: string;
  content: LocalStore;
  snapshotter: Snapshotter;
  registry: RegistryClient;
  svc: ImagesService;
  close(): Promise<void>;
}

export async function makeEnv(opts: { maxConcurrentDownloads?: number } = {}): Promise<Env> {
  const dir = tempDir('skiff-images-');
  const content = new LocalStore(join(dir, 'content'));
  const snapRoot = join(dir, 'snapshots');
  const snapshotter = (await overlaySupported(dir)) ? await OverlaySnapshotter.open(snapRoot) : await NativeSnapshotter.open(snapRoot);
  const registry = new RegistryClient({ certsDirs: [] });
  const svc = await ImagesService.open({ dataRoot: dir, content, snapshotter, registry, ...opts });
  return {
    dir, content, snapshotter, registry, svc,
    async close() {
      registry.close();
      const left = mountsUnder(dir);
      rmSync(dir, { recursive: true, force: true });
      if (left.length) throw new Error(`mounts left: ${left.join(', ')}`);
    },
  };
}

export interface LayerEntry {
  name: string;
  content?: string;
  type?: 'file' | 'directory' | 'symlink';
  linkname?: string;
}

/** A small uncompressed layer tar. */
export async function tarOf(entries: LayerEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => { chunks.push(c as Buffer); });
  const done = new Promise<void>((r) => pack.on('end', () => r()));
  for (const e of entries) {
    const type = e.type ?? 'file';
    const header = { name: e.name, type, mtime: new Date(0), mode: type === 'directory' ? 0o755 : 0o644, ...(e.linkname ? { linkname: e.linkname } : {}) };
    if (type === 'file') pack.entry(header, e.content ?? '');
    else pack.entry(header);
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** A busybox rootfs as an uncompressed tar (about 2 MB). */
export function busyboxTar(): Buffer {
  const root = tempDir('skiff-bb-');
  try {
    makeBusyboxRootfs(root);
    return execFileSync('tar', ['-C', root, '--numeric-owner', '--sort=name', '--mtime=@0', '-cf', '-', '.'], { maxBuffer: 64 << 20 });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export interface BuiltImage {
  config: Buffer;
  manifest: Buffer;
  manifestDigest: string;
  configDigest: string;
  layers: Array<{ gz: Buffer; desc: Descriptor; diffId: string }>;
}

export function buildImage(layerTars: Buffer[], extra: Partial<ImageConfig> = {}): BuiltImage {
  const layers = layerTars.map((t) => {
    const gz = gzipSync(t);
    return { gz, desc: { mediaType: MediaType.dockerLayerGzip, digest: digestOf(gz), size: gz.length }, diffId: digestOf(t) };
  });
  const cfg: ImageConfig = {
    architecture: process.arch === 'arm64' ? 'arm64' : 'amd64', os: 'linux', created: '2024-01-01T00:00:00Z',
    config: { Cmd: ['/bin/sh'], Env: ['PATH=/bin'] },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: layers.map((_, i) => ({ created: '2024-01-01T00:00:00Z', created_by: `layer ${i}` })),
    ...extra,
  };
  const config = Buffer.from(JSON.stringify(cfg));
  const m: Manifest = {
    schemaVersion: 2, mediaType: MediaType.dockerManifest,
    config: { mediaType: MediaType.dockerConfig, digest: digestOf(config), size: config.length },
    layers: layers.map((l) => l.desc),
  };
  const manifest = Buffer.from(JSON.stringify(m));
  return { config, manifest, manifestDigest: digestOf(manifest), configDigest: digestOf(config), layers };
}

export async function pushBuilt(client: RegistryClient, repo: string, tag: string, img: BuiltImage): Promise<void> {
  await client.pushBlob(repo, { digest: digestOf(img.config), size: img.config.length }, () => Readable.from([img.config]));
  for (const l of img.layers) await client.pushBlob(repo, l.desc, () => Readable.from([l.gz]));
  await client.pushManifest(`${repo}:${tag}`, img.manifest, MediaType.dockerManifest);
}

/** Collects progress messages. */
export function recorder(): { msgs: JSONMessage[]; write(m: JSONMessage): void } {
  const msgs: JSONMessage[] = [];
  return { msgs, write: (m) => { msgs.push(JSON.parse(JSON.stringify(m)) as JSONMessage); } };
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
