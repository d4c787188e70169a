/**
 * Unpacking an image's layers into snapshots, each layer once: layer i becomes the committed
 * snapshot named by the chain id of layers 0..i, so images sharing a base share its
 * snapshots and a layer already present is skipped without being read.
 *
 * A layer is applied into a fresh active snapshot under a unique key and committed only when
 * complete; on any failure that snapshot is removed, so a rejected layer leaves nothing behind.
 * When the active snapshot is an overlay, the layer goes straight into its upperdir with
 * overlay whiteouts (no mount needed); a plain bind (native, or a bottom layer) is applied in
 * place with deleting whiteouts; anything else is mounted on a temporary directory.
 */
import { mkdtemp, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { isEngineError } from '../../common/errors.js';
import { applyLayer } from '../archive/apply.js';
import { chainIds } from './chain-id.js';
import type { Mount, Snapshotter } from './index.js';
import { mountAll, unmountAll } from './mount.js';

export interface UnpackOptions {
  /** Labels for the committed snapshots. */
  labels?: Record<string, string>;
}

export interface UnpackResult {
  /** Chain id of the top layer: the parent for a container's rootfs. */
  chainId: string;
  /** Indexes of the layers that were unpacked now (the others were present). */
  unpacked: number[];
}

async function exists(sn: Snapshotter, name: string): Promise<boolean> {
  try {
    await sn.stat(name);
    return true;
  } catch (e) {
    if (isEngineError(e) && e.kind === 'not-found') return false;
    throw e;
  }
}

async function applyTo(mounts: Mount[], layer: Readable): Promise<void> {
  const m = mounts.length === 1 ? mounts[0]! : undefined;
  const upper = m?.type === 'overlay' ? m.options.find((o) => o.startsWith('upperdir=')) : undefined;
  if (upper) {
    await applyLayer(upper.slice('upperdir='.length), layer, { convertWhiteouts: 'overlay' });
  } else if (m?.type === 'bind' && !m.options.includes('ro')) {
    await applyLayer(m.source, layer, { convertWhiteouts: 'delete' });
  } else {
    const target = await mkdtemp(join(tmpdir(), 'skiff-unpack-'));
    try {
      mountAll(mounts, target);
      try {
        await applyLayer(target, layer, { convertWhiteouts: 'delete' });
      } finally {
        unmountAll(target);
      }
    } finally {
      await rmdir(target);
    }
  }
}

/**
 * Makes sure the snapshots for `diffIds` exist. `openLayer(i)` returns layer i's uncompressed
 * tar stream; it is called only for layers that must be unpacked, bottom first.
 */
export async function unpackLayers(
  sn: Snapshotter,
  diffIds: readonly string[],
  openLayer: (index: number) => Promise<Readable>,
  opts: UnpackOptions = {},
): Promise<UnpackResult> {
  const chains = chainIds(diffIds);
  const unpacked: number[] = [];
  for (let i = 0; i < chains.length; i++) {
    const name = chains[i]!;
    if (await exists(sn, name)) continue;
    const parent = i > 0 ? chains[i - 1] : undefined;
    const key = `extract-${randomBytes(6).toString('hex')}-${name}`;
    const mounts = await sn.prepare(key, parent, { labels: { 'containerd.io/snapshot.ref': name } });
    try {
      await applyTo(mounts, await openLayer(i));
    } catch (e) {
      await sn.remove(key);
      throw e;
    }
    try {
      await sn.commit(name, key, { labels: opts.labels ?? {} });
      unpacked.push(i);
    } catch (e) {
      await sn.remove(key);
      // Another unpack of the same layer committed first: theirs serves as well as ours.
      if (!(isEngineError(e) && e.kind === 'conflict' && (await exists(sn, name)))) throw e;
    }
  }
  return { chainId: chains.at(-1)!, unpacked };
}
