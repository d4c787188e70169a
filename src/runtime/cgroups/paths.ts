/**
 * OCI `linux.cgroupsPath` in its three forms, as runc reads them:
 * - absolute "/a/b": relative to the root of each hierarchy;
 * - relative "a/b": relative to the caller's own cgroup in each hierarchy (/proc/self/cgroup);
 * - systemd "slice:prefix:name": the cgroup systemd would use for unit "prefix-name.scope" in
 *   that slice ("a-b.slice" nests as /a.slice/a-b.slice). Skiff creates these directories on the
 *   cgroupfs directly; it does not ask systemd to create the scope.
 * ".." components are rejected: the path must not climb out of the hierarchy.
 */
import { posix } from 'node:path';
import { invalidArgument } from '../../common/errors.js';
import type { CgroupLayout } from './layout.js';

export interface CgroupsPath {
  kind: 'absolute' | 'relative' | 'systemd';
  /** Normalised: "/a/b" for absolute and systemd, "a/b" for relative. */
  path: string;
}

/** The default cgroupsPath of a container, as Docker's "/docker/<id>". */
export function defaultCgroupsPath(containerId: string): string {
  return `/skiff/${containerId}`;
}

const SYSTEMD_FORM = /^([^/:]*):([^/:]*):([^/:]+)$/;

function cleanSegments(raw: string, original: string): string[] {
  if (raw.includes('\0')) throw invalidArgument(`invalid cgroupsPath ${JSON.stringify(original)}: contains a NUL byte`);
  const segments = raw.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw invalidArgument(`invalid cgroupsPath ${JSON.stringify(original)}: ".." is not allowed`);
  return segments;
}

/** "a-b-c.slice" → ["a.slice", "a-b.slice", "a-b-c.slice"]; "-.slice" (the root slice) → []. */
export function expandSlice(slice: string): string[] {
  if (!slice.endsWith('.slice') || slice.includes('/')) throw invalidArgument(`invalid systemd slice ${JSON.stringify(slice)}: must end in ".slice"`);
  if (slice === '-.slice') return [];
  const stem = slice.slice(0, -'.slice'.length);
  if (stem === '' || stem.startsWith('-') || stem.endsWith('-') || stem.includes('--')) throw invalidArgument(`invalid systemd slice ${JSON.stringify(slice)}`);
  const parts = stem.split('-');
  return parts.map((_, i) => `${parts.slice(0, i + 1).join('-')}.slice`);
}

export function parseCgroupsPath(p: string): CgroupsPath {
  if (p === '') throw invalidArgument('cgroupsPath must not be empty');
  const sd = p.startsWith('/') ? null : SYSTEMD_FORM.exec(p);
  if (sd) {
    const [, slice, prefix, name] = sd as unknown as [string, string, string, string];
    const unit = name.endsWith('.slice') ? name : prefix === '' ? `${name}.scope` : `${prefix}-${name}.scope`;
    cleanSegments(unit, p);
    return { kind: 'systemd', path: '/' + [...expandSlice(slice === '' ? 'system.slice' : slice), unit].join('/') };
  }
  const segments = cleanSegments(p, p);
  if (segments.length === 0) throw invalidArgument(`invalid cgroupsPath ${JSON.stringify(p)}: it names the root cgroup`);
  return p.startsWith('/') ? { kind: 'absolute', path: '/' + segments.join('/') } : { kind: 'relative', path: segments.join('/') };
}

/**
 * The directory of the cgroup in the hierarchy mounted at `mountpoint`. `selfKey` is the
 * controller (or "" for cgroup2) whose /proc/self/cgroup line gives the caller's own cgroup.
 */
export function cgroupDir(layout: CgroupLayout, mountpoint: string, selfKey: string, p: CgroupsPath): string {
  if (p.kind !== 'relative') return posix.join(mountpoint, p.path);
  const root = layout.roots.get(mountpoint) ?? '/';
  let own = layout.self.get(selfKey) ?? '/';
  // Inside a cgroup namespace or a bind mount, the mount shows the hierarchy from `root` down.
  if (root !== '/' && (own === root || own.startsWith(root + '/'))) own = own.slice(root.length) || '/';
  return posix.join(mountpoint, own, p.path);
}
