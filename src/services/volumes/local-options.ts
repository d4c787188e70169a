/**
 * The local driver's options, as `mount -t <type> -o <o> <device> <_data>` would read them:
 * `type=tmpfs,device=tmpfs,o=size=100m,uid=1000` is an in-memory volume, `type=none,o=bind,
 * device=/path` a bind, `type=nfs,o=addr=…,device=:/export` a network share. Everything is
 * checked here before the volume's directory exists, so a bad option leaves nothing behind.
 * `o` is split by the runtime's mount(8) option parser into mount(2) flags, propagation
 * changes and filesystem data.
 */
import { existsSync } from 'node:fs';
import { MS_BIND, MS_REC, MS_REMOUNT, parseMountOptions } from '../../runtime/mount-options.js';

const VALID_KEYS: ReadonlySet<string> = new Set(['type', 'o', 'device', 'size']);

/** An option that needs others beside it (Docker's mandatoryOpts), checked in this order. */
const REQUIRED: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['device', ['type']],
  ['type', ['device']],
  ['o', ['device', 'type']],
];

/** go-units RAMInBytes syntax: `100m`, `1.5GiB`, `512`. */
const SIZE = /^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/;

/** The reason the options are unusable, worded as Docker's local driver, or undefined. */
export function localOptionsProblem(opts: Readonly<Record<string, string>> | null | undefined): string | undefined {
  if (!opts || Object.keys(opts).length === 0) return undefined;
  for (const key of Object.keys(opts)) {
    if (!VALID_KEYS.has(key)) return `invalid option: ${JSON.stringify(key)}`;
  }
  const device = opts.device ?? '';
  if (opts.type === 'cifs' && /^\/\/[^/]*:\d*(\/|$)/.test(device)) {
    return "port not allowed in CIFS device URL, include 'port' in 'o='";
  }
  if (opts.size !== undefined) {
    const m = SIZE.exec(opts.size);
    if (!m) return `invalid size: '${opts.size}'`;
    // A size is a project quota on the volume's directory; we have no quota support.
    if (Number(m[1]) > 0) return 'quota size requested but no quota support';
  }
  for (const [key, needs] of REQUIRED) {
    if (opts[key] === undefined) continue;
    for (const need of needs) {
      if (opts[need] === undefined) return `missing required option: ${JSON.stringify(need)}`;
    }
  }
  // Docker only finds a missing bind device when the first container starts; failing at
  // create time is kinder and leaves no volume that can never be mounted.
  if (isBindStyle(opts) && !existsSync(device)) return `bind device does not exist: ${device}`;
  return undefined;
}

function flagsOf(o: string | undefined): ReturnType<typeof parseMountOptions> {
  return parseMountOptions((o ?? '').split(',').filter((w) => w !== ''));
}

/** True for `o=bind`/`o=rbind` volumes: the device is a host path. */
export function isBindStyle(opts: Readonly<Record<string, string>>): boolean {
  return (flagsOf(opts.o).flags & MS_BIND) !== 0;
}

/** A volume needs a mount (and reference counting) when it names a type or a device. */
export function needsMount(opts: Readonly<Record<string, string>> | null | undefined): boolean {
  return !!opts && (!!opts.type || !!opts.device);
}

/** One mount(2) call; the first is the mount itself, the rest remounts and propagation. */
export interface MountCall {
  source: string | null;
  fstype: string | null;
  flags: number;
  data: string | null;
}

/**
 * The mount(2) calls for a volume, as mount(8) makes them: a bind ignores flags other than
 * MS_REC on its first call, so flags such as ro need a remount; propagation is one call each.
 */
export function mountCalls(opts: Readonly<Record<string, string>>): MountCall[] {
  const parsed = flagsOf(opts.o);
  const fstype = opts.type && opts.type !== 'none' ? opts.type : null;
  const data = parsed.data === '' ? null : parsed.data;
  const calls: MountCall[] = [{ source: opts.device ?? null, fstype, flags: parsed.flags, data }];
  const isBind = (parsed.flags & MS_BIND) !== 0;
  if (isBind && (parsed.flags & ~(MS_BIND | MS_REC | MS_REMOUNT)) !== 0) {
    calls.push({ source: null, fstype: null, flags: parsed.flags | MS_REMOUNT, data: null });
  }
  for (const p of parsed.propagation) calls.push({ source: null, fstype: null, flags: p, data: null });
  return calls;
}

/** Hides `password=` values in a mount error, as Docker does for cifs. */
export function redactPassword(message: string, o: string | undefined): string {
  const pw = /(?:^|,)password=([^,]*)/.exec(o ?? '')?.[1];
  return pw ? message.split(`password=${pw}`).join('password=********') : message;
}
