/**
 * Whiteouts: how a layer says "this path from the layers below is gone". In a tar layer, an
 * empty file `.wh.<name>` deletes `<name>`, and `<dir>/.wh..wh..opq` hides everything the lower
 * layers had in `<dir>` (OCI image-spec layer.md). On an overlayfs upperdir the same facts are a
 * 0/0 character device named `<name>` and the xattr `trusted.overlay.opaque=y` on `<dir>`.
 * Other `.wh..wh.` names are AUFS bookkeeping and never part of the filesystem.
 */
export const WHITEOUT_PREFIX = '.wh.';
export const WHITEOUT_META_PREFIX = '.wh..wh.';
export const WHITEOUT_OPAQUE = '.wh..wh..opq';
export const OVERLAY_OPAQUE_XATTR = 'trusted.overlay.opaque';

export type WhiteoutMode = 'overlay' | 'delete';

/** Xattrs that steer overlayfs itself; a layer must not be able to set them on our files. */
export function isOverlayXattr(name: string): boolean {
  return name.startsWith('trusted.overlay.') || name.startsWith('user.overlay.');
}
