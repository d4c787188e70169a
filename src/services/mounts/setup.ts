/**
 * Container start and stop: the resolved mount points made real. At start, volumes are mounted
 * for the container (a volume with mount options is mounted by its first user), an empty volume
 * over a non-empty image directory is filled from the image (copy-up, unless `nocopy`), a
 * missing `-v` host path is created as Docker does (a `--mount type=bind` source is not), and
 * the OCI mounts for the runtime spec are returned. At stop, the volumes are released again.
 */
import { mkdir, stat } from 'node:fs/promises';
import { invalidArgument } from '../../common/errors.js';
import { copyUp, resolveInRoot } from '../volumes/copy-up.js';
import { toOciMounts, type OciMounts } from './oci.js';
import type { MountPoint } from './types.js';

/** What start/stop need of the volumes service (VolumesService implements it). */
export interface VolumeMounter {
  mount(name: string, ref: string): Promise<string>;
  unmount(name: string, ref: string): Promise<void>;
}

export interface SetupMountsInput {
  containerId: string;
  mountPoints: readonly MountPoint[];
  /** The container's mounted root filesystem, for copy-up; without it nothing is copied. */
  rootfs?: string;
  /** Whether `rro` (recursive read-only, Linux 5.12+) can be used; default true. */
  recursiveReadOnly?: boolean;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

async function prepareBind(mp: MountPoint): Promise<void> {
  if (await exists(mp.Source)) return;
  if (mp.SkipMountpointCreation) {
    throw invalidArgument(`invalid mount config for type "bind": bind source path does not exist: ${mp.Source}`);
  }
  await mkdir(mp.Source, { recursive: true, mode: 0o755 });
}

export async function setupMounts(input: SetupMountsInput, volumes: VolumeMounter): Promise<OciMounts> {
  const held: string[] = [];
  const sources = new Map<string, string>();
  try {
    for (const mp of input.mountPoints) {
      if (mp.Type === 'bind') {
        await prepareBind(mp);
        continue;
      }
      if (mp.Type !== 'volume') continue;
      const path = await volumes.mount(mp.Name, input.containerId);
      held.push(mp.Name);
      const sub = mp.Spec.VolumeOptions?.Subpath;
      if (sub) {
        const real = await resolveInRoot(path, sub);
        if (real === undefined) throw invalidArgument(`cannot mount volume ${mp.Name}: subpath ${sub} does not exist`);
        sources.set(mp.Destination, real);
      } else {
        sources.set(mp.Destination, path);
        if (mp.CopyData && input.rootfs !== undefined) await copyUp(input.rootfs, mp.Destination, path);
      }
    }
    return toOciMounts(input.mountPoints, {
      sources,
      ...(input.recursiveReadOnly === undefined ? {} : { recursiveReadOnly: input.recursiveReadOnly }),
    });
  } catch (e) {
    for (const name of held) await volumes.unmount(name, input.containerId).catch(() => undefined);
    throw e;
  }
}

/** Releases what setupMounts took; safe to call more than once. */
export async function teardownMounts(containerId: string, mountPoints: readonly MountPoint[], volumes: VolumeMounter): Promise<void> {
  let first: unknown;
  for (const mp of mountPoints) {
    if (mp.Type !== 'volume') continue;
    try {
      await volumes.unmount(mp.Name, containerId);
    } catch (e) {
      first ??= e;
    }
  }
  if (first !== undefined) throw first;
}
