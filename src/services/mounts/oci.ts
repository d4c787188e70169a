/**
 * A container's mount points as OCI runtime-spec mounts, as moby's withMounts writes them:
 * tmpfs with Docker's defaults merged with the user's data; binds and volumes as `rbind` (or
 * `bind` when NonRecursive) plus `rro`/`ro` and the propagation. A shared or slave mount also
 * needs the rootfs propagation to allow it, which is returned beside the mounts. Mounts are
 * ordered by depth so /etc is mounted before /etc/app/conf. Also the inspect `Mounts` view.
 */
import { internal, invalidArgument } from '../../common/errors.js';
import type { Mount } from '../../oci/runtime-spec.js';
import { cleanPath } from './spec.js';
import { tmpfsOptions } from './tmpfs.js';
import type { InspectMount, MountPoint } from './types.js';

export interface OciMountOptions {
  /** Whether the runtime and kernel support recursive read-only (`rro`, Linux 5.12+). */
  recursiveReadOnly?: boolean;
  /** Host path per mount point destination, when it differs from `Source` (volume subpaths). */
  sources?: ReadonlyMap<string, string>;
}

export interface OciMounts {
  mounts: Mount[];
  /** 'shared' or 'rslave' when a mount's propagation needs it; undefined to keep the default. */
  rootfsPropagation?: string;
}

function depth(dest: string): number {
  return cleanPath(dest).split('/').length - 1;
}

/** Orders by path depth, shallow first, keeping the given order among equals. */
export function sortByDepth<T extends { Destination: string }>(points: readonly T[]): T[] {
  return points.map((p, i) => [p, i] as const)
    .sort(([a, i], [b, j]) => depth(a.Destination) - depth(b.Destination) || i - j)
    .map(([p]) => p);
}

function readOnlyOption(mp: MountPoint, rro: boolean): string {
  const b = mp.Spec.Type === 'bind' ? mp.Spec.BindOptions : undefined;
  if (b?.ReadOnlyNonRecursive && b.ReadOnlyForceRecursive) {
    throw invalidArgument('mount options conflict: ReadOnlyNonRecursive && BindOptions.ReadOnlyForceRecursive');
  }
  if (b?.ReadOnlyNonRecursive) return 'ro';
  if (!rro) {
    if (b?.ReadOnlyForceRecursive) throw internal('recursive read-only mounts are not supported by the kernel or runtime');
    return 'ro';
  }
  return 'rro';
}

function checkBindOptions(mp: MountPoint): void {
  const b = mp.Spec.Type === 'bind' ? mp.Spec.BindOptions : undefined;
  if (!b || mp.Spec.ReadOnly) return;
  if (b.ReadOnlyNonRecursive) throw invalidArgument('mount options conflict: !ReadOnly && BindOptions.ReadOnlyNonRecursive');
  if (b.ReadOnlyForceRecursive) throw invalidArgument('mount options conflict: !ReadOnly && BindOptions.ReadOnlyForceRecursive');
}

export function toOciMounts(points: readonly MountPoint[], opts: OciMountOptions = {}): OciMounts {
  const rro = opts.recursiveReadOnly ?? true;
  let rootfsPropagation: string | undefined;
  const mounts: Mount[] = [];
  for (const mp of sortByDepth(points)) {
    if (mp.Type === 'tmpfs') {
      mounts.push({ destination: mp.Destination, type: 'tmpfs', source: 'tmpfs', options: tmpfsOptions(mp.Data) });
      continue;
    }
    checkBindOptions(mp);
    const options = [mp.Spec.Type === 'bind' && mp.Spec.BindOptions?.NonRecursive ? 'bind' : 'rbind'];
    if (!mp.RW) options.push(readOnlyOption(mp, rro));
    if (mp.Propagation) options.push(mp.Propagation);
    if (mp.Propagation === 'shared' || mp.Propagation === 'rshared') {
      rootfsPropagation = 'shared';
    } else if ((mp.Propagation === 'slave' || mp.Propagation === 'rslave') && rootfsPropagation !== 'shared') {
      rootfsPropagation = 'rslave';
    }
    const source = opts.sources?.get(mp.Destination) ?? mp.Source;
    mounts.push({ destination: mp.Destination, type: 'bind', source, options });
  }
  return rootfsPropagation === undefined ? { mounts } : { mounts, rootfsPropagation };
}

/** The `Mounts` array of `docker inspect` (tmpfs from HostConfig.Tmpfs is not listed). */
export function inspectMounts(points: readonly MountPoint[]): InspectMount[] {
  return points.filter((mp) => !mp.FromTmpfsMap)
    .sort((a, b) => (a.Destination < b.Destination ? -1 : a.Destination > b.Destination ? 1 : 0))
    .map((mp) => ({
      Type: mp.Type,
      ...(mp.Name ? { Name: mp.Name } : {}),
      Source: mp.Source,
      Destination: mp.Destination,
      ...(mp.Driver ? { Driver: mp.Driver } : {}),
      Mode: mp.Mode,
      RW: mp.RW,
      Propagation: mp.Propagation,
    }));
}
