/**
 * Validation of `HostConfig.Mounts` entries and their conversion to mount points, as moby's
 * Linux parser does it, with its messages (`invalid mount config for type "bind": bind source
 * path does not exist: /x`). Also turns TmpfsOptions into tmpfs mount data (`size=1m,mode=700`).
 */
import { statSync } from 'node:fs';
import { posix } from 'node:path';
import { invalidArgument } from '../../common/errors.js';
import type { ApiMount, MountPoint, TmpfsOptions } from './types.js';

export const PROPAGATION_MODES: ReadonlySet<string> = new Set(['private', 'rprivate', 'slave', 'rslave', 'shared', 'rshared']);
export const DEFAULT_PROPAGATION = 'rprivate';

export function mountConfigError(m: ApiMount, reason: string): Error {
  return invalidArgument(`invalid mount config for type ${JSON.stringify(m.Type ?? '')}: ${reason}`);
}

/** The reason a container path is unusable as a destination, or undefined. */
export function destinationProblem(p: string): string | undefined {
  const slashed = p.replaceAll('\\', '/');
  if (posix.normalize(slashed) === '/') return "invalid specification: destination can't be '/'";
  if (!posix.isAbsolute(slashed)) return `invalid mount path: '${slashed}' mount path must be absolute`;
  return undefined;
}

/** Go's filepath.IsLocal: non-empty, relative, and not climbing out. */
function isLocal(p: string): boolean {
  if (p === '' || posix.isAbsolute(p)) return false;
  const c = posix.normalize(p);
  return c !== '..' && !c.startsWith('../');
}

/** Clean without a trailing slash (Go's path.Clean). */
export function cleanPath(p: string): string {
  const c = posix.normalize(p.replaceAll('\\', '/'));
  return c.length > 1 && c.endsWith('/') ? c.slice(0, -1) : c;
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return false;
    throw e;
  }
}

/** moby's validateMountConfigImpl: throws invalid-argument with Docker's message. */
export function validateMountConfig(m: ApiMount, checkBindSource: boolean): void {
  for (const [type, field] of [['bind', 'BindOptions'], ['volume', 'VolumeOptions'], ['image', 'ImageOptions'], ['tmpfs', 'TmpfsOptions'], ['cluster', 'ClusterOptions']] as const) {
    if (m.Type !== type && m[field] !== undefined && m[field] !== null) throw mountConfigError(m, `field ${field} must not be specified`);
  }
  if (!m.Target) throw mountConfigError(m, 'field Target must not be empty');
  const destProblem = destinationProblem(m.Target);
  if (destProblem) throw mountConfigError(m, destProblem);
  switch (m.Type) {
    case 'bind': {
      if (!m.Source) throw mountConfigError(m, 'field Source must not be empty');
      const prop = m.BindOptions?.Propagation;
      if (prop && !PROPAGATION_MODES.has(prop)) throw mountConfigError(m, `invalid propagation mode: ${prop}`);
      const srcProblem = destinationProblem(m.Source);
      if (srcProblem?.startsWith('invalid mount path')) throw mountConfigError(m, srcProblem);
      if (checkBindSource && !m.BindOptions?.CreateMountpoint && !exists(m.Source)) {
        throw mountConfigError(m, `bind source path does not exist: ${m.Source}`);
      }
      break;
    }
    case 'volume': {
      const sub = m.VolumeOptions?.Subpath;
      if (sub) {
        if (!m.Source) throw mountConfigError(m, 'must not set Subpath when using anonymous volumes');
        if (!isLocal(sub)) throw mountConfigError(m, 'subpath must be a relative path within the volume');
      }
      break;
    }
    case 'tmpfs':
      if (m.Source) throw mountConfigError(m, 'field Source must not be specified');
      try {
        tmpfsData(m.TmpfsOptions, m.ReadOnly ?? false);
      } catch (e) {
        throw mountConfigError(m, (e as Error).message);
      }
      break;
    case 'image':
      // Image mounts need the image service to make a snapshot; not supported yet.
      throw mountConfigError(m, 'image mounts are not supported');
    default:
      throw mountConfigError(m, 'mount type unknown');
  }
}

/** moby's ConvertTmpfsOptions: `ro`, `mode=<octal>`, `size=<n>[kmg]`, then exec/noexec. */
export function tmpfsData(opt: TmpfsOptions | null | undefined, readOnly: boolean): string {
  const out: string[] = [];
  if (readOnly) out.push('ro');
  if (opt?.Mode) out.push(`mode=${opt.Mode.toString(8)}`);
  if (opt?.SizeBytes) {
    let size = opt.SizeBytes;
    let suffix = '';
    for (const [s, d] of [['g', 2 ** 30], ['m', 2 ** 20], ['k', 2 ** 10]] as const) {
      if (size % d === 0) {
        size /= d;
        suffix = s;
        break;
      }
    }
    out.push(`size=${size}${suffix}`);
  }
  for (const o of opt?.Options ?? []) {
    if (o.length < 1 || o.length > 2) throw new Error('invalid option array length');
    if (o[0] !== 'exec' && o[0] !== 'noexec') throw new Error(`invalid option: ${o[0]}`);
    out.push(o.length === 1 ? o[0] : `${o[0]}=${o[1]}`);
  }
  return out.join(',');
}

/** moby's parseMountSpec: validate, then the mount point (volume Source filled in later). */
export function parseMountSpec(m: ApiMount, checkBindSource = true): MountPoint {
  validateMountConfig(m, checkBindSource);
  const type = m.Type as MountPoint['Type'];
  const mp: MountPoint = {
    Type: type, Source: '', Destination: cleanPath(m.Target!), RW: !m.ReadOnly, Name: '', Driver: '',
    Mode: '', Propagation: '', CopyData: false, Spec: m,
  };
  if (type === 'volume') {
    mp.Name = m.Source ?? '';
    mp.Driver = m.VolumeOptions?.DriverConfig?.Name ?? '';
    mp.CopyData = !m.VolumeOptions?.NoCopy;
  } else if (type === 'bind') {
    mp.Source = cleanPath(m.Source!);
    mp.Propagation = m.BindOptions?.Propagation || DEFAULT_PROPAGATION;
  } else {
    mp.Data = tmpfsData(m.TmpfsOptions, m.ReadOnly ?? false);
  }
  return mp;
}
