/**
 * How image records are named. A record is a fully qualified reference — a tag
 * (`docker.io/library/busybox:latest`) or a digest (`docker.io/library/busybox@sha256:…`, the
 * RepoDigest) — or, for an image that lost its last reference to a newer one (a re-pull, a
 * re-tag), the internal `moby-dangling@<manifest digest>` that keeps it listed as
 * `<none>:<none>`, as Docker's containerd image store does.
 */
import { invalidArgument } from '../../common/errors.js';
import { familiarString, parseNormalizedNamed, parseReference, tagNameOnly, type Reference } from '../../registry/reference/index.js';

export const DANGLING_PREFIX = 'moby-dangling@';

export function danglingName(manifestDigest: string): string {
  return `${DANGLING_PREFIX}${manifestDigest}`;
}

export function isDanglingName(name: string): boolean {
  return name.startsWith(DANGLING_PREFIX);
}

/** The reference a record name stands for, or undefined for internal names. */
export function recordRef(name: string): Reference | undefined {
  if (isDanglingName(name)) return undefined;
  try {
    return parseReference(name);
  } catch {
    return undefined;
  }
}

/** Parses a user-given name for tagging / pulling: normalised, `:latest` when bare. */
export function parseImageName(s: string): Reference {
  return tagNameOnly(parseNormalizedNamed(s));
}

/** `fromImage` + `tag` of `POST /images/create` and `repo` + `tag` of `/tag`, as moby combines them. */
export function withTagOrDigest(name: string, tag: string | undefined): Reference {
  const ref = parseNormalizedNamed(name);
  if (!tag) return tagNameOnly(ref);
  if (ref.tag !== undefined || ref.digest !== undefined) throw invalidArgument('invalid reference format');
  return tag.includes(':') ? ref.withDigest(tag) : ref.withTag(tag);
}

export function familiar(ref: Reference): string {
  return familiarString(ref);
}
