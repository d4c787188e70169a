/** The layers the snapshot tests unpack: a base with every entry type, and one with whiteouts. */
import { createHash } from 'node:crypto';
import type { FixtureEntry } from './tar-fixtures.js';

/** security.capability v2, effective, cap_net_raw permitted (20 bytes). */
export const CAP_NET_RAW = Buffer.from([1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

export const baseLayer: FixtureEntry[] = [
  { name: 'etc/', type: 'directory', mode: 0o755, mtime: new Date(1_500_000_000_000) },
  { name: 'etc/hosts', mode: 0o644, uid: 1000, gid: 1001, content: '127.0.0.1 localhost\n', mtime: new Date(1_400_000_000_000) },
  { name: 'bin/', type: 'directory', mode: 0o755 },
  { name: 'bin/busybox', mode: 0o755, content: 'BUSYBOX' },
  { name: 'bin/sh', type: 'symlink', linkname: 'busybox', mtime: new Date(1_300_000_000_000) },
  { name: 'bin/ls', type: 'link', linkname: 'bin/busybox' },
  { name: 'bin/ping', mode: 0o4755, content: 'PING', pax: { 'SCHILY.xattr.security.capability': CAP_NET_RAW.toString('latin1') } },
  { name: 'bin/tool', mode: 0o2755, gid: 50, content: 'T', pax: { 'SCHILY.xattr.user.x': 'hello' } },
  { name: 'dev/', type: 'directory', mode: 0o755 },
  { name: 'dev/null', type: 'character-device', mode: 0o666, devmajor: 1, devminor: 3 },
  { name: 'dev/loop0', type: 'block-device', mode: 0o660, gid: 6, devmajor: 7, devminor: 0 },
  { name: 'run/fifo', type: 'fifo', mode: 0o620 },
  { name: 'tmp/', type: 'directory', mode: 0o1777 },
  { name: 'a/b/c/deep', mode: 0o600, content: 'deep' },
  { name: 'opq/', type: 'directory', mode: 0o755 },
  { name: 'opq/old1', mode: 0o644, content: 'old1' },
  { name: 'opq/sub/old2', mode: 0o644, content: 'old2' },
  { name: 'gone', mode: 0o644, content: 'gone' },
  { name: 'gonedir/x', mode: 0o644, content: 'x' },
];

export const upperLayer = [
  { name: '.wh.gone', content: '' },
  { name: '.wh.gonedir', content: '' },
  { name: 'opq/', type: 'directory' as const, mode: 0o755 },
  { name: 'opq/.wh..wh..opq', content: '' },
  { name: 'opq/new', content: 'new', mode: 0o644 },
  { name: 'etc/hosts', content: 'changed\n', mode: 0o644 },
];

export function diffId(buf: Buffer): string {
  return `sha256:${createHash('sha256').update(buf).digest('hex')}`;
}

