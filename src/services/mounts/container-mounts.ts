/**
 * The containers service's view of mounts (its `ContainerMounts` role: `plan` at start,
 * `release` at stop/remove), built from resolve + setup + teardown. A container keeps only the
 * inspect-shaped mount points, so anonymous volumes are found again by destination on the next
 * start, and volumes are released by the names recorded there.
 */
import type { VolumesService } from '../volumes/service.js';
import type { Mount } from '../../oci/runtime-spec.js';
import { inspectMounts } from './oci.js';
import { resolveMounts, type HostConfigMounts, type MountSource } from './resolve.js';
import { setupMounts } from './setup.js';
import type { InspectMount } from './types.js';

export interface ContainerMountsDeps {
  volumes: Pick<VolumesService, 'ensure' | 'inspect' | 'remove' | 'mount' | 'unmount' | 'releaseAnonymous'>;
  containers?: MountSource;
  /** Whether `rro` is usable (kernel 5.12+ and the runtime); default true. */
  recursiveReadOnly?: boolean;
}

export interface ContainerMountsRecord {
  Id: string;
  Config: { Volumes?: Record<string, unknown> | null };
  HostConfig: HostConfigMounts;
  MountPoints?: ReadonlyArray<{ Type?: string; Name?: string; Destination?: string }>;
}

export function containerMounts(deps: ContainerMountsDeps): {
  plan(rec: ContainerMountsRecord, rootfs: string | undefined): Promise<{ mounts: Mount[]; mountPoints: InspectMount[]; anonymousVolumes: string[] }>;
  release(rec: { Id: string; MountPoints?: ContainerMountsRecord['MountPoints'] }, removeAnonymous: boolean): Promise<void>;
} {
  return {
    async plan(rec, rootfs) {
      const previous = (rec.MountPoints ?? []).flatMap((m) =>
        m.Destination ? [{ Destination: m.Destination, ...(m.Name ? { Name: m.Name } : {}), ...(m.Type ? { Type: m.Type } : {}) }] : []);
      const points = await resolveMounts(
        { containerId: rec.Id, hostConfig: rec.HostConfig, imageVolumes: rec.Config.Volumes ?? null, previous },
        { volumes: deps.volumes, ...(deps.containers ? { containers: deps.containers } : {}) },
      );
      const oci = await setupMounts({
        containerId: rec.Id, mountPoints: points,
        ...(rootfs === undefined ? {} : { rootfs }),
        ...(deps.recursiveReadOnly === undefined ? {} : { recursiveReadOnly: deps.recursiveReadOnly }),
      }, deps.volumes);
      return {
        mounts: oci.mounts,
        mountPoints: inspectMounts(points),
        anonymousVolumes: points.filter((p) => p.Anonymous).map((p) => p.Name),
      };
    },
    async release(rec, removeAnonymous) {
      for (const m of rec.MountPoints ?? []) {
        if (m.Type === 'volume' && m.Name) await deps.volumes.unmount(m.Name, rec.Id);
      }
      if (removeAnonymous) await deps.volumes.releaseAnonymous(rec.Id);
    },
  };
}
