/**
 * The in-memory view of all images: records (from the metadata store) grouped by image id
 * (config digest), with each manifest's config parsed once and kept. Every API read — list,
 * inspect, name resolution — is served from here without touching the disk; writes go to the
 * metadata store first and then invalidate the grouping.
 */
import { isEngineError, notFound } from '../../common/errors.js';
import { readBlob, type Store } from '../../containerd/content/index.js';
import type { ImageRecord, ImageStore } from '../../containerd/metadata/index.js';
import type { Descriptor, ImageConfig, Manifest } from '../../oci/image-spec.js';
import { familiarString, parseNormalizedNamed, tagNameOnly } from '../../registry/reference/index.js';
import { danglingName, isDanglingName, recordRef } from './names.js';
import type { ImageView } from './types.js';

/** Content label holding a layer blob's uncompressed size, set when it is unpacked or loaded. */
export const UNCOMPRESSED_SIZE_LABEL = 'skiff.io/uncompressed-size';

interface ManifestEntry {
  desc: Descriptor;
  manifest: Manifest;
  config: ImageConfig;
  configDigest: string;
  size: number;
  layerSizes: number[];
}

const UNCOMPRESSED = /(\.tar|\.v1\.tar)$/;

export class ImageIndex {
  readonly #manifests = new Map<string, ManifestEntry>();
  #views: Map<string, ImageView> | undefined;

  constructor(readonly store: ImageStore, private readonly content: Store) {}

  /** Loads every record's manifest and config; records whose content is gone are skipped. */
  async load(): Promise<void> {
    for (const r of this.store.list()) {
      try {
        await this.register(r.target);
      } catch (e) {
        if (!isEngineError(e) || e.kind !== 'not-found') throw e;
      }
    }
    this.#views = undefined;
  }

  async #layerSize(d: Descriptor): Promise<number> {
    try {
      const info = await this.content.info(d.digest);
      const label = info.labels[UNCOMPRESSED_SIZE_LABEL];
      if (label !== undefined) return Number(label);
      return UNCOMPRESSED.test(d.mediaType) ? info.size : d.size;
    } catch {
      return d.size;
    }
  }

  /** Reads and caches a manifest and its config (both must be in the content store). */
  async register(desc: Descriptor): Promise<ManifestEntry> {
    const cached = this.#manifests.get(desc.digest);
    if (cached) return cached;
    const manifest = JSON.parse((await readBlob(this.content, desc)).toString()) as Manifest;
    const config = JSON.parse((await readBlob(this.content, manifest.config)).toString()) as ImageConfig;
    const layerSizes: number[] = [];
    for (const l of manifest.layers) layerSizes.push(await this.#layerSize(l));
    const size = layerSizes.reduce((a, b) => a + b, 0);
    const entry: ManifestEntry = {
      desc: { mediaType: desc.mediaType, digest: desc.digest, size: desc.size }, manifest, config, configDigest: manifest.config.digest, size, layerSizes,
    };
    this.#manifests.set(desc.digest, entry);
    this.#views = undefined;
    return entry;
  }

  /** Drops cached manifests no record points to any more. */
  forgetUnreferenced(): void {
    const used = new Set(this.store.list().map((r) => r.target.digest));
    for (const d of this.#manifests.keys()) if (!used.has(d)) this.#manifests.delete(d);
  }

  invalidate(): void {
    this.#views = undefined;
  }

  #build(): Map<string, ImageView> {
    const views = new Map<string, ImageView>();
    for (const r of this.store.list()) {
      const m = this.#manifests.get(r.target.digest);
      if (!m) continue;
      let v = views.get(m.configDigest);
      if (!v) {
        const created = m.config.created ? Math.floor(Date.parse(m.config.created) / 1000) : 0;
        v = {
          id: m.configDigest, manifest: m.manifest, manifestDesc: m.desc, config: m.config, size: m.size, layerSizes: m.layerSizes,
          created: Number.isFinite(created) ? created : 0, repoTags: [], repoDigests: [], records: [], lastTagTime: '',
        };
        views.set(m.configDigest, v);
      }
      v.records.push(r.name);
      const ref = recordRef(r.name);
      if (ref?.tag !== undefined) {
        v.repoTags.push(familiarString(ref));
        if (r.updatedAt > v.lastTagTime) v.lastTagTime = r.updatedAt;
      } else if (ref?.digest !== undefined) v.repoDigests.push(familiarString(ref));
    }
    for (const v of views.values()) {
      v.repoTags.sort();
      v.repoDigests.sort();
    }
    return views;
  }

  views(): Map<string, ImageView> {
    this.#views ??= this.#build();
    return this.#views;
  }

  byId(id: string): ImageView | undefined {
    return this.views().get(id);
  }

  manifestEntry(digest: string): ManifestEntry | undefined {
    return this.#manifests.get(digest);
  }

  /** The image a record name points at. */
  byRecord(name: string): ImageView | undefined {
    const r = this.store.get(name);
    const m = r && this.#manifests.get(r.target.digest);
    return m ? this.byId(m.configDigest) : undefined;
  }

  /**
   * Docker's `GetImage`: a full id (`sha256:…` or 64 hex), a reference (`name[:tag]`,
   * `name@digest`), else a unique prefix of an image id. Bad references are invalid-argument.
   */
  resolve(refOrId: string): ImageView {
    const hex = /^(?:sha256:)?([a-f0-9]{64})$/.exec(refOrId);
    if (hex) {
      const v = this.byId(`sha256:${hex[1]}`);
      if (v) return v;
      throw notFound('image', refOrId);
    }
    let shown = refOrId;
    const isPrefix = /^(?:sha256:)?[a-f0-9]{1,63}$/.test(refOrId);
    try {
      const ref = tagNameOnly(parseNormalizedNamed(refOrId));
      shown = familiarString(ref);
      const v = this.byRecord(ref.toString());
      if (v) return v;
    } catch (e) {
      if (!isPrefix) throw e;
    }
    if (isPrefix) {
      const prefix = refOrId.startsWith('sha256:') ? refOrId : `sha256:${refOrId}`;
      const hits = [...this.views().keys()].filter((id) => id.startsWith(prefix));
      if (hits.length === 1) return this.byId(hits[0]!)!;
      shown = refOrId;
    }
    throw notFound('image', shown);
  }

  /**
   * Points `records` at their targets. An image that loses its last record this way stays
   * listed as dangling (as a re-pull or re-tag leaves the old image in Docker); a dangling
   * record of an image that gets a name is dropped.
   */
  async put(records: Array<Omit<ImageRecord, 'createdAt' | 'updatedAt'>>): Promise<void> {
    for (const r of records) await this.register(r.target);
    const views = this.views();
    const names = new Set(records.map((r) => r.name));
    const extra: Array<Omit<ImageRecord, 'createdAt' | 'updatedAt'>> = [];
    for (const r of records) {
      const old = this.byRecord(r.name);
      if (!old || old.id === this.#manifests.get(r.target.digest)?.configDigest) continue;
      const remaining = (views.get(old.id)?.records ?? []).filter((n) => !names.has(n));
      if (remaining.length === 0) extra.push({ name: danglingName(old.manifestDesc.digest), target: old.manifestDesc, labels: {} });
    }
    await this.store.put([...records, ...extra]);
    this.#views = undefined;
    const newIds = new Set(records.map((r) => this.#manifests.get(r.target.digest)?.configDigest));
    const stale = this.store.list().filter((r) => isDanglingName(r.name) && !names.has(r.name) && newIds.has(this.#manifests.get(r.target.digest)?.configDigest));
    if (stale.length) await this.store.delete(stale.map((r) => r.name));
    this.#views = undefined;
  }

  async delete(names: string[]): Promise<void> {
    await this.store.delete(names);
    this.#views = undefined;
  }
}
