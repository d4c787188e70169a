/**
 * tmpfs mount options as Docker assembles them: its defaults (noexec, nosuid, nodev, rprivate)
 * followed by the user's data (`rw,exec,size=65536k`), merged so that a later word replaces an
 * earlier one of the same kind — `exec` overrides the default `noexec`, the last `size=` wins —
 * and anything that is neither a known flag nor a tmpfs `key=value` is refused (moby/sys
 * MergeTmpfsOptions).
 */
import { invalidArgument } from '../../common/errors.js';

/** Flag words → the mount(2) bit they set or clear; words of one group collide. */
const FLAG_GROUP: Readonly<Record<string, string>> = {
  ro: 'rdonly', rw: 'rdonly', suid: 'nosuid', nosuid: 'nosuid', dev: 'nodev', nodev: 'nodev',
  exec: 'noexec', noexec: 'noexec', sync: 'sync', async: 'sync', dirsync: 'dirsync',
  remount: 'remount', mand: 'mand', nomand: 'mand', atime: 'noatime', noatime: 'noatime',
  diratime: 'nodiratime', nodiratime: 'nodiratime', relatime: 'relatime', norelatime: 'relatime',
  strictatime: 'strictatime', nostrictatime: 'strictatime',
  // Only one propagation (or bind) word survives.
  bind: 'propagation', rbind: 'propagation', unbindable: 'propagation', runbindable: 'propagation',
  private: 'propagation', rprivate: 'propagation', shared: 'propagation', rshared: 'propagation',
  slave: 'propagation', rslave: 'propagation',
};

const DATA_KEYS: ReadonlySet<string> = new Set(['', 'size', 'mode', 'uid', 'gid', 'nr_inodes', 'nr_blocks', 'mpol']);

export const TMPFS_DEFAULTS: readonly string[] = ['noexec', 'nosuid', 'nodev', 'rprivate'];

/** Merges options, later ones winning, keeping the order of the survivors. */
export function mergeTmpfsOptions(options: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = options.length - 1; i >= 0; i--) {
    const o = options[i]!;
    if (o === 'defaults') continue;
    let key: string;
    if (Object.hasOwn(FLAG_GROUP, o)) {
      key = `flag:${FLAG_GROUP[o]}`;
    } else {
      const eq = o.indexOf('=');
      const name = eq < 0 ? o : o.slice(0, eq);
      if (eq < 0 || !DATA_KEYS.has(name)) throw invalidArgument(`invalid tmpfs option ${JSON.stringify(name)}`);
      key = `data:${name}`;
    }
    if (seen.has(key)) continue;
    seen.add(key);
    out.unshift(o);
  }
  return out;
}

/** The OCI options of a tmpfs mount with the given data (`HostConfig.Tmpfs` value). */
export function tmpfsOptions(data: string | undefined): string[] {
  const user = data ? data.split(',') : [];
  return mergeTmpfsOptions([...TMPFS_DEFAULTS, ...user]);
}
