/**
 * Resolving `--user` (`name`, `uid`, `name:group`, `uid:gid`) and `--group-add` against the
 * image's /etc/passwd and /etc/group, as Docker (moby/sys/user) does, reading them from inside
 * the rootfs without following links out of it.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import { invalidArgument } from '../../common/errors.js';
import type { User } from '../runtime-spec.js';

function readInRoot(rootfs: string, path: string): string {
  try {
    const real = realpathSync(join(rootfs, path));
    const rel = relative(realpathSync(rootfs), real);
    if (rel.startsWith('..')) return '';
    return readFileSync(real, 'utf8');
  } catch {
    return '';
  }
}

interface PasswdEntry { name: string; uid: number; gid: number }
interface GroupEntry { name: string; gid: number; members: string[] }

function passwd(rootfs: string): PasswdEntry[] {
  return readInRoot(rootfs, '/etc/passwd').split('\n').flatMap((l) => {
    const f = l.split(':');
    if (f.length < 4 || l.startsWith('#')) return [];
    return [{ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]) }];
  });
}

function groups(rootfs: string): GroupEntry[] {
  return readInRoot(rootfs, '/etc/group').split('\n').flatMap((l) => {
    const f = l.split(':');
    if (f.length < 3 || l.startsWith('#')) return [];
    return [{ name: f[0]!, gid: Number(f[2]), members: (f[3] ?? '').split(',').filter(Boolean) }];
  });
}

const isId = (s: string) => /^\d+$/.test(s);

export function resolveUser(rootfs: string, spec: string | undefined, groupAdd: readonly string[] = []): User {
  const [userPart = '', groupPart] = (spec ?? '').split(':', 2);
  const users = passwd(rootfs);
  let uid = 0;
  let gid = 0;
  let name = 'root';
  if (userPart) {
    const byName = users.find((u) => u.name === userPart);
    if (byName) {
      ({ uid, gid, name } = byName);
    } else if (isId(userPart)) {
      uid = Number(userPart);
      const byUid = users.find((u) => u.uid === uid);
      gid = byUid?.gid ?? 0;
      name = byUid?.name ?? '';
    } else {
      throw invalidArgument(`unable to find user ${userPart}: no matching entries in passwd file`);
    }
  } else {
    const root = users.find((u) => u.uid === 0);
    gid = root?.gid ?? 0;
  }
  const groupList = groups(rootfs);
  if (groupPart) {
    const g = groupList.find((x) => x.name === groupPart);
    if (g) gid = g.gid;
    else if (isId(groupPart)) gid = Number(groupPart);
    else throw invalidArgument(`unable to find group ${groupPart}: no matching entries in group file`);
  }
  const additional = new Set<number>();
  if (!groupPart && name) {
    for (const g of groupList) if (g.members.includes(name) && g.gid !== gid) additional.add(g.gid);
  }
  for (const a of groupAdd) {
    const g = groupList.find((x) => x.name === a);
    if (g) additional.add(g.gid);
    else if (isId(a)) additional.add(Number(a));
    else throw invalidArgument(`Unable to find group ${a}: no matching entries in group file`);
  }
  return { uid, gid, additionalGids: [...additional] };
}

/** The user's home directory from passwd (for HOME), "/" when unknown. */
export function homeOf(rootfs: string, uid: number): string {
  const line = readInRoot(rootfs, '/etc/passwd').split('\n').find((l) => l.split(':')[2] === String(uid));
  return line?.split(':')[5] || '/';
}
