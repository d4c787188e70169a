/**
 * Container create: HostConfig `Binds`, `Mounts`, `Tmpfs`, `VolumesFrom` and the image's
 * `Volumes` become the container's mount points (moby's registerMountPoints followed by the
 * image-volume step). Everything is parsed and checked first, then the volumes are created —
 * named ones if missing, anonymous ones for bare destinations and image volumes — and if any
 * step fails, the volumes made by this call are removed again, so a refused create leaves
 * nothing behind. Later sources win over earlier ones at the same destination, as in Docker:
 * volumes-from, then binds, then mounts, then tmpfs; image volumes fill only free places.
 */
import { invalidArgument, notFound } from '../../common/errors.js';
import type { CreateVolumeRequest, Volume } from '../volumes/types.js';
import { LOCAL_DRIVER } from '../volumes/types.js';
import { parseBind, parseVolumesFrom, readWrite } from './bind.js';
import { cleanPath, destinationProblem, parseMountSpec } from './spec.js';
import { tmpfsOptions } from './tmpfs.js';
import type { ApiMount, MountPoint } from './types.js';

export interface HostConfigMounts {
  Binds?: string[] | null;
  Mounts?: ApiMount[] | null;
  Tmpfs?: Record<string, string> | null;
  VolumesFrom?: string[] | null;
  VolumeDriver?: string;
}

/** What the planner needs of the volumes service (VolumesService implements it). */
export interface VolumeCreator {
  ensure(req: CreateVolumeRequest, createdFor?: string): Promise<{ volume: Volume; created: boolean }>;
  inspect(name: string): Volume;
  remove(name: string, opts?: { force?: boolean }): Promise<void>;
}

/** What the planner needs of the containers service, for VolumesFrom. */
export interface MountSource {
  /** The resolved mount points of a container, by id or name; undefined when there is none. */
  mountPointsOf(idOrName: string): readonly MountPoint[] | undefined;
}

export interface ResolveMountsInput {
  containerId: string;
  hostConfig: HostConfigMounts;
  /** The image config's `Volumes` (`{"/data": {}}`). */
  imageVolumes?: Record<string, unknown> | null;
  /**
   * Volumes the container already has by destination (from an earlier resolve): an anonymous
   * volume at the same destination is reused rather than made again on every start.
   */
  previous?: ReadonlyArray<{ Destination: string; Name?: string; Type?: string }>;
}

export interface ResolveMountsDeps {
  volumes: VolumeCreator;
  containers?: MountSource;
}

function duplicate(dest: string): Error {
  return invalidArgument(`Duplicate mount point: ${dest}`);
}

/** Parses and cross-checks everything; no volume is touched. */
function plan(input: ResolveMountsInput, deps: ResolveMountsDeps): Map<string, MountPoint> {
  const hc = input.hostConfig;
  const tmpfs = Object.entries(hc.Tmpfs ?? {});
  for (const [dest, data] of tmpfs) {
    const problem = destinationProblem(dest);
    if (problem) throw invalidArgument(problem);
    tmpfsOptions(data);
  }
  const tmpfsDests = new Set(tmpfs.map(([d]) => cleanPath(d)));
  const points = new Map<string, MountPoint>();

  for (const spec of hc.VolumesFrom ?? []) {
    const { container, mode } = parseVolumesFrom(spec);
    const theirs = deps.containers?.mountPointsOf(container);
    if (!theirs) throw invalidArgument(notFound('container', container).message);
    for (const m of theirs) {
      if (m.FromTmpfsMap) continue;
      points.set(m.Destination, { ...m, RW: m.RW && readWrite(mode), CopyData: false, Anonymous: false });
    }
  }

  const taken = new Set<string>();
  for (const raw of hc.Binds ?? []) {
    const mp = parseBind(raw, hc.VolumeDriver ?? '');
    if (taken.has(mp.Destination) || tmpfsDests.has(mp.Destination)) throw duplicate(mp.Destination);
    taken.add(mp.Destination);
    points.set(mp.Destination, mp);
  }
  for (const cfg of hc.Mounts ?? []) {
    const mp = parseMountSpec(cfg, true);
    if (taken.has(mp.Destination) || tmpfsDests.has(mp.Destination)) throw duplicate(cfg.Target ?? '');
    taken.add(mp.Destination);
    if (mp.Type === 'bind' && !cfg.BindOptions?.CreateMountpoint) mp.SkipMountpointCreation = true;
    points.set(mp.Destination, mp);
  }
  for (const [dest, data] of tmpfs) {
    const d = cleanPath(dest);
    points.set(d, {
      Type: 'tmpfs', Source: '', Destination: d, RW: true, Name: '', Driver: '', Mode: '', Propagation: '',
      CopyData: false, Spec: { Type: 'tmpfs', Target: dest }, Data: data, FromTmpfsMap: true,
    });
  }
  for (const dest of Object.keys(input.imageVolumes ?? {})) {
    const d = cleanPath(dest);
    if (points.has(d)) continue;
    points.set(d, {
      Type: 'volume', Source: '', Destination: d, RW: true, Name: '', Driver: hc.VolumeDriver ?? '', Mode: '',
      Propagation: '', CopyData: true, Spec: { Type: 'volume', Target: d }, Anonymous: true,
    });
  }
  return points;
}

function reusable(input: ResolveMountsInput, deps: ResolveMountsDeps, dest: string): Volume | undefined {
  const prev = input.previous?.find((p) => p.Destination === dest && (p.Type ?? 'volume') === 'volume' && p.Name);
  if (!prev) return undefined;
  try {
    return deps.volumes.inspect(prev.Name!);
  } catch {
    return undefined; // removed meanwhile: a fresh one is made
  }
}

/** Resolves a container's mount points at create time. */
export async function resolveMounts(input: ResolveMountsInput, deps: ResolveMountsDeps): Promise<MountPoint[]> {
  const points = plan(input, deps);
  const made: string[] = [];
  try {
    for (const mp of points.values()) {
      if (mp.Type !== 'volume') continue;
      if (mp.Anonymous === false && mp.Name) {
        // Borrowed through volumes-from: it must still exist.
        const v = deps.volumes.inspect(mp.Name);
        mp.Source = v.Mountpoint;
        continue;
      }
      const fromImage = mp.Anonymous === true;
      const before = mp.Name ? undefined : reusable(input, deps, mp.Destination);
      if (before) {
        mp.Anonymous = true;
        mp.Name = before.Name;
        mp.Driver = before.Driver;
        mp.Source = before.Mountpoint;
        if (!fromImage && mp.Mode === '') mp.Mode = 'z';
        continue;
      }
      const vo = mp.Spec.VolumeOptions;
      const req: CreateVolumeRequest = {
        ...(mp.Name ? { Name: mp.Name } : {}),
        ...(mp.Driver ? { Driver: mp.Driver } : {}),
        ...(vo?.DriverConfig?.Options ? { DriverOpts: vo.DriverConfig.Options } : {}),
        ...(vo?.Labels ? { Labels: vo.Labels } : {}),
      };
      const { volume, created } = await deps.volumes.ensure(req, input.containerId);
      if (created) made.push(volume.Name);
      mp.Anonymous = !mp.Name;
      mp.Name = volume.Name;
      mp.Driver = volume.Driver;
      mp.Source = volume.Mountpoint;
      // Docker marks named-or-bare local volumes from Binds/Mounts for relabelling (`z`).
      if (!fromImage && mp.Driver === LOCAL_DRIVER && mp.Mode === '') mp.Mode = 'z';
    }
  } catch (e) {
    for (const name of made) await deps.volumes.remove(name, { force: true }).catch(() => undefined);
    throw e;
  }
  return [...points.values()].sort((a, b) => (a.Destination < b.Destination ? -1 : a.Destination > b.Destination ? 1 : 0));
}
