/**
 * OCI mount `options` → the arguments of mount(2) and mount_setattr(2), as runc's
 * `parseMountOptions` (libcontainer/specconv) computes them.
 *
 * An OCI mount lists mount(8)-style words. Each word is one of:
 * - a mount(2) flag that is set ("ro", "nosuid") or cleared ("rw", "suid") — `flags`/`clearFlags`;
 * - a propagation change ("rprivate", "shared", …), applied by separate mount(2) calls after the
 *   mount because the kernel refuses to combine propagation with other flags — `propagation`;
 * - a recursive attribute ("rro", "rnosuid", …) that needs mount_setattr(2) with AT_RECURSIVE,
 *   since MS_RDONLY on a bind mount does not reach its submounts — `recAttrSet`/`recAttrClr`;
 * - a runtime extension ("tmpcopyup", "idmap", "ridmap") — `extensions`;
 * - anything else is filesystem data ("mode=755", "size=64k"), passed through comma-joined.
 */

export const MS_RDONLY = 1;
export const MS_NOSUID = 2;
export const MS_NODEV = 4;
export const MS_NOEXEC = 8;
export const MS_SYNCHRONOUS = 16;
export const MS_REMOUNT = 32;
export const MS_MANDLOCK = 64;
export const MS_DIRSYNC = 128;
export const MS_NOSYMFOLLOW = 256;
export const MS_NOATIME = 1024;
export const MS_NODIRATIME = 2048;
export const MS_BIND = 4096;
export const MS_MOVE = 8192;
export const MS_REC = 16384;
export const MS_SILENT = 32768;
export const MS_POSIXACL = 1 << 16;
export const MS_UNBINDABLE = 1 << 17;
export const MS_PRIVATE = 1 << 18;
export const MS_SLAVE = 1 << 19;
export const MS_SHARED = 1 << 20;
export const MS_RELATIME = 1 << 21;
export const MS_KERNMOUNT = 1 << 22;
export const MS_I_VERSION = 1 << 23;
export const MS_STRICTATIME = 1 << 24;
export const MS_LAZYTIME = 1 << 25;

/** mount_setattr(2) attribute bits (struct mount_attr attr_set / attr_clr). */
export const MOUNT_ATTR_RDONLY = 0x1;
export const MOUNT_ATTR_NOSUID = 0x2;
export const MOUNT_ATTR_NODEV = 0x4;
export const MOUNT_ATTR_NOEXEC = 0x8;
/** The three access-time bits form an enum; changing any of them must clear the whole field. */
export const MOUNT_ATTR__ATIME = 0x70;
export const MOUNT_ATTR_RELATIME = 0x0;
export const MOUNT_ATTR_NOATIME = 0x10;
export const MOUNT_ATTR_STRICTATIME = 0x20;
export const MOUNT_ATTR_NODIRATIME = 0x80;
export const MOUNT_ATTR_IDMAP = 0x100000;
export const MOUNT_ATTR_NOSYMFOLLOW = 0x200000;

export interface ParsedMountOptions {
  /** Flags to pass to mount(2). */
  flags: number;
  /** Flags the options explicitly turned off ("rw", "suid", …); a remount must clear them. */
  clearFlags: number;
  /** One mount(2) call per entry, in the order given (e.g. MS_PRIVATE|MS_REC). */
  propagation: number[];
  /** Filesystem-specific options, comma-joined ("" when none). */
  data: string;
  recAttrSet: number;
  recAttrClr: number;
  /** "tmpcopyup", "idmap" and/or "ridmap", in the order given. */
  extensions: string[];
}

type FlagEntry = readonly [clear: boolean, flag: number];

const MOUNT_FLAGS: Readonly<Record<string, FlagEntry>> = {
  async: [true, MS_SYNCHRONOUS],
  atime: [true, MS_NOATIME],
  bind: [false, MS_BIND],
  dev: [true, MS_NODEV],
  diratime: [true, MS_NODIRATIME],
  dirsync: [false, MS_DIRSYNC],
  exec: [true, MS_NOEXEC],
  iversion: [false, MS_I_VERSION],
  lazytime: [false, MS_LAZYTIME],
  loud: [true, MS_SILENT],
  mand: [false, MS_MANDLOCK],
  noatime: [false, MS_NOATIME],
  nodev: [false, MS_NODEV],
  nodiratime: [false, MS_NODIRATIME],
  noexec: [false, MS_NOEXEC],
  noiversion: [true, MS_I_VERSION],
  nolazytime: [true, MS_LAZYTIME],
  nomand: [true, MS_MANDLOCK],
  norelatime: [true, MS_RELATIME],
  nostrictatime: [true, MS_STRICTATIME],
  nosuid: [false, MS_NOSUID],
  nosymfollow: [false, MS_NOSYMFOLLOW],
  rbind: [false, MS_BIND | MS_REC],
  relatime: [false, MS_RELATIME],
  remount: [false, MS_REMOUNT],
  ro: [false, MS_RDONLY],
  rw: [true, MS_RDONLY],
  silent: [false, MS_SILENT],
  strictatime: [false, MS_STRICTATIME],
  suid: [true, MS_NOSUID],
  sync: [false, MS_SYNCHRONOUS],
  symfollow: [true, MS_NOSYMFOLLOW],
};

const PROPAGATION: Readonly<Record<string, number>> = {
  private: MS_PRIVATE,
  rprivate: MS_PRIVATE | MS_REC,
  slave: MS_SLAVE,
  rslave: MS_SLAVE | MS_REC,
  shared: MS_SHARED,
  rshared: MS_SHARED | MS_REC,
  unbindable: MS_UNBINDABLE,
  runbindable: MS_UNBINDABLE | MS_REC,
};

const REC_ATTRS: Readonly<Record<string, FlagEntry>> = {
  rro: [false, MOUNT_ATTR_RDONLY],
  rrw: [true, MOUNT_ATTR_RDONLY],
  rnosuid: [false, MOUNT_ATTR_NOSUID],
  rsuid: [true, MOUNT_ATTR_NOSUID],
  rnodev: [false, MOUNT_ATTR_NODEV],
  rdev: [true, MOUNT_ATTR_NODEV],
  rnoexec: [false, MOUNT_ATTR_NOEXEC],
  rexec: [true, MOUNT_ATTR_NOEXEC],
  rnodiratime: [false, MOUNT_ATTR_NODIRATIME],
  rdiratime: [true, MOUNT_ATTR_NODIRATIME],
  rrelatime: [false, MOUNT_ATTR_RELATIME],
  rnorelatime: [true, MOUNT_ATTR_RELATIME],
  rnoatime: [false, MOUNT_ATTR_NOATIME],
  ratime: [true, MOUNT_ATTR_NOATIME],
  rstrictatime: [false, MOUNT_ATTR_STRICTATIME],
  rnostrictatime: [true, MOUNT_ATTR_STRICTATIME],
  rnosymfollow: [false, MOUNT_ATTR_NOSYMFOLLOW],
  rsymfollow: [true, MOUNT_ATTR_NOSYMFOLLOW],
};

const EXTENSIONS: ReadonlySet<string> = new Set(['tmpcopyup', 'idmap', 'ridmap']);

/** Every option word this module understands (for `runc features`' mountOptions). */
export function knownMountOptions(): string[] {
  return [
    'defaults',
    ...Object.keys(MOUNT_FLAGS),
    ...Object.keys(PROPAGATION),
    ...Object.keys(REC_ATTRS),
    ...EXTENSIONS,
  ].sort();
}

/** Propagation flags for a name such as "rslave"; undefined when the name is not one. */
export function propagationFlags(name: string): number | undefined {
  return Object.hasOwn(PROPAGATION, name) ? PROPAGATION[name] : undefined;
}

/** All propagation names, for validators and error messages. */
export const PROPAGATION_NAMES: readonly string[] = Object.keys(PROPAGATION);

export function parseMountOptions(options: readonly string[]): ParsedMountOptions {
  let flags = 0;
  let clearFlags = 0;
  let recAttrSet = 0;
  let recAttrClr = 0;
  const propagation: number[] = [];
  const data: string[] = [];
  const extensions: string[] = [];
  for (const o of options) {
    // runc lets "defaults" (flag 0) fall through to the data string, where filesystems such as
    // tmpfs reject it; mount(8) treats it as "no flags", and so do we.
    if (o === 'defaults') continue;
    if (Object.hasOwn(MOUNT_FLAGS, o)) {
      const [clear, flag] = MOUNT_FLAGS[o]!;
      // Later words win over earlier ones, as with mount(8): "ro,rw" is rw.
      if (clear) {
        flags &= ~flag;
        clearFlags |= flag;
      } else {
        flags |= flag;
        clearFlags &= ~flag;
      }
    } else if (Object.hasOwn(PROPAGATION, o)) {
      propagation.push(PROPAGATION[o]!);
    } else if (Object.hasOwn(REC_ATTRS, o)) {
      const [clear, flag] = REC_ATTRS[o]!;
      if (clear) {
        recAttrClr |= flag;
        recAttrSet &= ~flag;
      } else {
        recAttrSet |= flag;
        recAttrClr &= ~flag;
      }
      // mount_setattr(2): an access-time value in attr_set only takes effect when the whole
      // MOUNT_ATTR__ATIME field is also in attr_clr.
      if ((flag & MOUNT_ATTR__ATIME) === flag) recAttrClr |= MOUNT_ATTR__ATIME;
    } else if (EXTENSIONS.has(o)) {
      if (!extensions.includes(o)) extensions.push(o);
    } else {
      data.push(o);
    }
  }
  // Bit operations yield signed 32-bit ints; none of the flags reach bit 31, so values stay >= 0.
  return { flags, clearFlags, propagation, data: data.join(','), recAttrSet, recAttrClr, extensions };
}
