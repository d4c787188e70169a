/**
 * `--cache-from <image>` with the legacy builder's semantics (moby `image/cache`): when the
 * local cache has no result for a step, an image named by `--cache-from` can supply it if the
 * step's parent is a prefix of that image (same history entries, same layers) and the image's
 * next history entry was made by the same instruction (`created_by`). The hit becomes a new
 * image of the parent plus that entry, so later steps go on matching the same source.
 */
import type { History } from '../../oci/image-spec.js';
import type { BaseImage } from './types.js';
import type { BuildEnv, StageState } from './step.js';

function sameEntry(a: History, b: History): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isValidParent(img: BaseImage, parent: BaseImage | undefined): boolean {
  const ih = img.config.history ?? [];
  if (ih.length === 0) return false;
  if (!parent) return true;
  const ph = parent.config.history ?? [];
  const pd = parent.config.rootfs?.diff_ids ?? [];
  if (ph.length === 0 && pd.length === 0) return true;
  const id = img.config.rootfs?.diff_ids ?? [];
  if (ph.length >= ih.length || pd.length > id.length) return false;
  return ph.every((h, i) => sameEntry(h, ih[i]!)) && pd.every((d, i) => d === id[i]);
}

/** The image a `--cache-from` source supplies for this step, or undefined. Prints Docker's line on a hit. */
export async function cacheFromHit(env: BuildEnv, state: StageState, createdBy: string): Promise<string | undefined> {
  if (env.opts.noCache || env.opts.cacheFrom.length === 0) return undefined;
  const parent = state.imageId ? env.backend.findImage(state.imageId) : undefined;
  if (state.imageId && !parent) return undefined;
  const at = parent?.config.history?.length ?? 0;
  for (const ref of env.opts.cacheFrom) {
    const source = env.backend.findImage(ref);
    if (!source || !isValidParent(source, parent)) continue;
    const history = source.config.history ?? [];
    if (history[at]?.created_by !== createdBy) continue;
    env.print(' ---> Using cache\n');
    if (history.length - 1 === at) return source.id;
    return env.backend.restoreCached({ parent: state.imageId, source: source.id, historyIndex: at, config: structuredClone(state.config) });
  }
  return undefined;
}
