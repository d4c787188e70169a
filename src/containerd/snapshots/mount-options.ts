/**
 * Turning containerd-style mount options into mount(2) arguments: words like `ro`, `nosuid`,
 * `rbind` become MS_* flags (and propagation changes, which need their own mount call);
 * everything else is filesystem data passed through as the comma-joined option string.
 */
import { MS } from '../../sys/index.js';

/** Flag words: [set?, bits]. A word with set=false clears the bits (rw, suid, …). */
const FLAGS: Record<string, [boolean, number]> = {
  ro: [true, MS.RDONLY], rw: [false, MS.RDONLY],
  nosuid: [true, MS.NOSUID], suid: [false, MS.NOSUID],
  nodev: [true, MS.NODEV], dev: [false, MS.NODEV],
  noexec: [true, MS.NOEXEC], exec: [false, MS.NOEXEC],
  sync: [true, MS.SYNCHRONOUS], async: [false, MS.SYNCHRONOUS],
  dirsync: [true, MS.DIRSYNC],
  remount: [true, MS.REMOUNT],
  mand: [true, MS.MANDLOCK], nomand: [false, MS.MANDLOCK],
  noatime: [true, MS.NOATIME], atime: [false, MS.NOATIME],
  nodiratime: [true, MS.NODIRATIME], diratime: [false, MS.NODIRATIME],
  bind: [true, MS.BIND], rbind: [true, MS.BIND | MS.REC],
  relatime: [true, MS.RELATIME], norelatime: [false, MS.RELATIME],
  strictatime: [true, MS.STRICTATIME], nostrictatime: [false, MS.STRICTATIME],
  nosymfollow: [true, MS.NOSYMFOLLOW],
};

const PROPAGATION: Record<string, number> = {
  private: MS.PRIVATE, rprivate: MS.PRIVATE | MS.REC,
  shared: MS.SHARED, rshared: MS.SHARED | MS.REC,
  slave: MS.SLAVE, rslave: MS.SLAVE | MS.REC,
  unbindable: MS.UNBINDABLE, runbindable: MS.UNBINDABLE | MS.REC,
};

export interface ParsedOptions {
  flags: number;
  /** MS_PRIVATE etc. to apply after mounting, 0 for none. */
  propagation: number;
  /** Filesystem-specific options, in order. */
  data: string[];
}

export function parseMountOptions(options: readonly string[]): ParsedOptions {
  let flags = 0;
  let propagation = 0;
  const data: string[] = [];
  for (const o of options) {
    const f = FLAGS[o];
    if (f) {
      flags = f[0] ? flags | f[1] : flags & ~f[1];
      continue;
    }
    const p = PROPAGATION[o];
    if (p !== undefined) { propagation |= p; continue; }
    data.push(o);
  }
  return { flags, propagation, data };
}
