/**
 * The mark phase over content: from root descriptors, follow indexes to manifests, manifests to
 * their config and layers, configs to the snapshots of their layer stacks (chain ids), and
 * containerd's `containerd.io/gc.ref.content.*` / `gc.ref.snapshot.*` labels on any blob.
 * Blobs that are missing are simply not followed: a half-pulled image keeps what it has.
 */
import { readBlob, type Digest, type Info, type Provider } from '../content/index.js';
import { chainIds } from '../snapshots/chain-id.js';
import { isIndexMediaType, isManifestMediaType, MediaType, type Descriptor, type ImageConfig, type Index, type Manifest } from '../../oci/image-spec.js';

const CONFIG_TYPES = new Set<string>([MediaType.dockerConfig, MediaType.ociConfig]);

interface Doc {
  mediaType?: string;
  manifests?: Descriptor[];
  config?: Descriptor;
  layers?: Descriptor[];
  rootfs?: { diff_ids?: string[] };
}

/** Descriptors a document points at, and the snapshots a config implies. */
export function childrenOf(desc: Pick<Descriptor, 'mediaType'>, raw: Buffer): { content: Descriptor[]; snapshots: string[] } {
  let doc: Doc;
  try {
    doc = JSON.parse(raw.toString()) as Doc;
  } catch {
    return { content: [], snapshots: [] };
  }
  const mt = desc.mediaType || doc.mediaType;
  if (isIndexMediaType(mt) || (mt === undefined && Array.isArray(doc.manifests))) {
    return { content: [...((doc as Index).manifests ?? [])], snapshots: [] };
  }
  if (isManifestMediaType(mt) || (doc.config !== undefined && Array.isArray(doc.layers))) {
    const m = doc as Manifest;
    return { content: [m.config, ...(m.layers ?? [])].filter((d) => d !== undefined), snapshots: [] };
  }
  if (CONFIG_TYPES.has(mt ?? '') || Array.isArray(doc.rootfs?.diff_ids)) {
    const ids = (doc as ImageConfig).rootfs?.diff_ids ?? [];
    try {
      return { content: [], snapshots: ids.length ? [chainIds(ids).at(-1)!] : [] };
    } catch {
      return { content: [], snapshots: [] };
    }
  }
  return { content: [], snapshots: [] };
}

function isWalkable(mt: string | undefined): boolean {
  return isIndexMediaType(mt) || isManifestMediaType(mt) || CONFIG_TYPES.has(mt ?? '');
}

/**
 * Marks content reachable from `roots`. Returns the marked digests and the snapshot names the
 * marked configs and labels refer to. `info` gives blob labels (absent blobs return undefined).
 */
export async function markContent(
  provider: Provider,
  info: (d: Digest) => Promise<Info | undefined>,
  roots: Iterable<Descriptor>,
): Promise<{ content: Set<Digest>; snapshots: Set<string> }> {
  const content = new Set<Digest>();
  const snapshots = new Set<string>();
  const queue: Descriptor[] = [...roots];
  while (queue.length > 0) {
    const d = queue.pop()!;
    if (content.has(d.digest)) continue;
    const i = await info(d.digest);
    if (i === undefined) continue;
    content.add(d.digest);
    for (const [k, v] of Object.entries(i.labels)) {
      if (k.startsWith('containerd.io/gc.ref.content')) queue.push({ mediaType: '', digest: v, size: 0 });
      else if (k.startsWith('containerd.io/gc.ref.snapshot')) snapshots.add(v);
    }
    if (!isWalkable(d.mediaType) && d.mediaType !== '') continue;
    // Small JSON documents only; a layer never gets here (its media type is not walkable).
    if (d.mediaType === '' && i.size > 4 << 20) continue;
    const raw = await readBlob(provider, { digest: d.digest }, 8 << 20).catch(() => undefined);
    if (raw === undefined) continue;
    const kids = childrenOf(d, raw);
    queue.push(...kids.content);
    for (const s of kids.snapshots) snapshots.add(s);
  }
  return { content, snapshots };
}
