/**
 * `-v` / `HostConfig.Binds` strings and `--volumes-from` specs, parsed as moby's Linux parser
 * does: `[source:]destination[:mode]`, where an absolute source is a bind and anything else a
 * volume name (none: an anonymous volume), and mode is a comma list with at most one of each
 * kind — rw/ro, z/Z (SELinux relabel), a propagation, nocopy, a consistency.
 */
import { posix } from 'node:path';
import { invalidArgument } from '../../common/errors.js';
import { PROPAGATION_MODES, parseMountSpec } from './spec.js';
import type { ApiMount, MountPoint } from './types.js';

const RW_MODES: ReadonlySet<string> = new Set(['rw', 'ro']);
const LABEL_MODES: ReadonlySet<string> = new Set(['z', 'Z']);
const CONSISTENCY_MODES: ReadonlySet<string> = new Set(['consistent', 'cached', 'delegated']);
const COPY_MODES: ReadonlySet<string> = new Set(['nocopy']);
const KINDS = [RW_MODES, LABEL_MODES, PROPAGATION_MODES, COPY_MODES, CONSISTENCY_MODES] as const;

/** A mode string is valid when every word is known and no kind appears twice ('' is valid). */
export function validMode(mode: string): boolean {
  if (mode === '') return true;
  const counts = KINDS.map(() => 0);
  for (const word of mode.split(',')) {
    const kind = KINDS.findIndex((k) => k.has(word));
    if (kind < 0) return false;
    counts[kind]!++;
  }
  return counts.every((n) => n <= 1);
}

/** moby's ReadWrite: a valid mode without `ro`. */
export function readWrite(mode: string): boolean {
  return validMode(mode) && !mode.split(',').includes('ro');
}

function propagationOf(mode: string): string | undefined {
  return mode.split(',').find((w) => PROPAGATION_MODES.has(w));
}

function invalidSpec(raw: string): string {
  return `invalid volume specification: '${raw}'`;
}

/** Parses one Binds entry; `volumeDriver` is HostConfig.VolumeDriver. */
export function parseBind(raw: string, volumeDriver = ''): MountPoint {
  const parts = raw.split(':');
  // Go's SplitN(raw, ":", 4): the fourth element keeps the rest.
  const arr = parts.length > 4 ? [...parts.slice(0, 3), parts.slice(3).join(':')] : parts;
  if (arr[0] === '') throw invalidArgument(invalidSpec(raw));
  const spec: ApiMount = {};
  let mode = '';
  switch (arr.length) {
    case 1:
      spec.Target = arr[0];
      break;
    case 2:
      // `/foo:rw` — a destination and a mode, but a volume cannot have a mode alone.
      if (validMode(arr[1]!)) throw invalidArgument(invalidSpec(raw));
      spec.Source = arr[0];
      spec.Target = arr[1];
      break;
    case 3:
      spec.Source = arr[0];
      spec.Target = arr[1];
      mode = arr[2]!;
      break;
    default:
      throw invalidArgument(invalidSpec(raw));
  }
  if (!validMode(mode)) throw invalidArgument(`invalid mode: ${mode}`);
  spec.Type = posix.isAbsolute(spec.Source ?? '') ? 'bind' : 'volume';
  spec.ReadOnly = !readWrite(mode);
  if (volumeDriver !== '' && spec.Type === 'volume') spec.VolumeOptions = { DriverConfig: { Name: volumeDriver } };
  if (mode.split(',').includes('nocopy')) spec.VolumeOptions = { ...(spec.VolumeOptions ?? {}), NoCopy: true };
  const propagation = propagationOf(mode);
  if (propagation !== undefined) spec.BindOptions = { Propagation: propagation };
  let mp: MountPoint;
  try {
    // Binds create a missing source at start, so its existence is not checked here.
    mp = parseMountSpec(spec, false);
  } catch (e) {
    throw invalidArgument(`${invalidSpec(raw)}: ${(e as Error).message}`);
  }
  mp.Mode = mode;
  return mp;
}

/** Parses a VolumesFrom entry `container[:mode]` into the container and its mode. */
export function parseVolumesFrom(spec: string): { container: string; mode: string } {
  if (spec === '') throw invalidArgument('volumes-from specification cannot be an empty string');
  const colon = spec.indexOf(':');
  const container = colon < 0 ? spec : spec.slice(0, colon);
  const mode = colon < 0 ? '' : spec.slice(colon + 1);
  if (mode === '') return { container, mode: 'rw' };
  // Propagation and copy modes belong to the original mount, not to the borrower.
  if (!validMode(mode) || propagationOf(mode) !== undefined || mode.split(',').includes('nocopy')) {
    throw invalidArgument(`invalid mode: ${mode}`);
  }
  return { container, mode };
}
