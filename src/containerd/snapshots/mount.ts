/**
 * Performing a snapshotter's Mount[] on a target directory, and undoing it.
 *
 * Read-only binds need two calls: the kernel ignores MS_RDONLY on the initial MS_BIND, so the
 * bind is remounted with it. Overlays go through overlay-mount.ts, which copes with lowerdir
 * chains longer than one page of mount data.
 */
import { hasCode, mount, MS, umount2 } from '../../sys/index.js';
import { internal, invalidArgument } from '../../common/errors.js';
import type { Mount } from './index.js';
import { parseMountOptions } from './mount-options.js';
import { mountOverlay } from './overlay-mount.js';
import type { OverlayStrategy } from './overlay-mount.js';

export interface MountAllOptions {
  /** How to mount overlays; 'auto' except in tests that pin a fallback. */
  overlayStrategy?: OverlayStrategy;
}

function mountOne(m: Mount, target: string, opts: MountAllOptions): void {
  const { flags, propagation, data } = parseMountOptions(m.options);
  if (m.type === 'overlay') {
    mountOverlay(data, flags, target, opts.overlayStrategy);
  } else if (m.type === 'bind' || flags & MS.BIND) {
    mount(m.source, target, null, (flags & ~MS.RDONLY) | MS.BIND);
    if (flags & MS.RDONLY) mount(null, target, null, (flags & ~MS.REC) | MS.BIND | MS.REMOUNT);
  } else {
    mount(m.source, target, m.type, flags, data.length ? data.join(',') : null);
  }
  if (propagation) mount(null, target, null, propagation);
}

/** Mounts each of `mounts` on `target` in order; on failure unmounts what it mounted. */
export function mountAll(mounts: readonly Mount[], target: string, opts: MountAllOptions = {}): void {
  if (mounts.length === 0) throw invalidArgument('no mounts to perform');
  let done = 0;
  try {
    for (const m of mounts) {
      mountOne(m, target, opts);
      done++;
    }
  } catch (e) {
    for (; done > 0; done--) {
      try { umount2(target); } catch { /* best effort: report the original error */ }
    }
    throw internal(`failed to mount ${mounts[done]?.type ?? ''} on ${target}: ${(e as Error).message}`, e);
  }
}

/**
 * Unmounts everything stacked on `target` (mountAll may stack several). `flags` are umount2
 * flags, e.g. MNT.DETACH to detach a busy mount lazily. A target that is not a mount point is
 * not an error.
 */
export function unmountAll(target: string, flags = 0): void {
  for (let i = 0; i < 64; i++) {
    try {
      umount2(target, flags);
    } catch (e) {
      if (hasCode(e, 'EINVAL', 'ENOENT')) return;
      throw e;
    }
  }
  throw internal(`${target} is still mounted after 64 unmounts`);
}
