/**
 * Docker's normalisation of the names users type (distribution/reference `ParseNormalizedNamed`,
 * `FamiliarString`, `TagNameOnly`, `ParseDockerRef`, `ParseAnyReference`): `busybox` means
 * `docker.io/library/busybox`, `index.docker.io` is an old spelling of `docker.io`, and the UI
 * shows names the short way round again.
 */
import { invalidArgument } from '../../common/errors.js';
import { digestError } from '../../containerd/content/digest.js';
import { anchoredIdentifierRegexp } from './grammar.js';
import { DigestReference, parseReference, Reference } from './reference.js';

export const DEFAULT_DOMAIN = 'docker.io';
export const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
export const OFFICIAL_REPO_PREFIX = 'library/';
export const DEFAULT_TAG = 'latest';

/**
 * Splits a familiar name into domain and remainder. The first component is a domain when it is
 * `localhost`, contains `.` or `:`, or has upper case (namespaces cannot), else Docker Hub is meant.
 */
export function splitDockerDomain(name: string): { domain: string; remainder: string } {
  const slash = name.indexOf('/');
  let domain: string;
  let remainder: string;
  if (slash === -1) {
    return { domain: DEFAULT_DOMAIN, remainder: OFFICIAL_REPO_PREFIX + name };
  }
  const first = name.slice(0, slash);
  const rest = name.slice(slash + 1);
  if (first === 'localhost' || /[.:]/.test(first) || first.toLowerCase() !== first) {
    domain = first === LEGACY_DEFAULT_DOMAIN ? DEFAULT_DOMAIN : first;
    remainder = rest;
  } else {
    domain = DEFAULT_DOMAIN;
    remainder = name;
  }
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_REPO_PREFIX + remainder;
  return { domain, remainder };
}

/** Parses what a user typed into a fully qualified reference; throws invalid-argument. */
export function parseNormalizedNamed(s: string): Reference {
  if (anchoredIdentifierRegexp.test(s)) {
    throw invalidArgument(`invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`);
  }
  const { domain, remainder } = splitDockerDomain(s);
  const colon = remainder.indexOf(':');
  const remote = colon === -1 ? remainder : remainder.slice(0, colon);
  if (remote.toLowerCase() !== remote) {
    throw invalidArgument(`invalid reference format: repository name (${remote}) must be lowercase`);
  }
  return parseReference(`${domain}/${remainder}`);
}

/**
 * Normalises as Docker does for pull and run: a reference with both tag and digest keeps only
 * the digest; a bare name gets `:latest`.
 */
export function parseDockerRef(s: string): Reference {
  const ref = parseNormalizedNamed(s);
  if (ref.tag !== undefined && ref.digest !== undefined) return new Reference(ref.domain, ref.path, undefined, ref.digest);
  return tagNameOnly(ref);
}

/** Accepts an image ID (64 hex), a digest, or a name (distribution `ParseAnyReference`). */
export function parseAnyReference(s: string): Reference | DigestReference {
  if (anchoredIdentifierRegexp.test(s)) return new DigestReference(`sha256:${s}`);
  if (digestError(s) === null) return new DigestReference(s);
  return parseNormalizedNamed(s);
}

/** Adds the default tag to a reference that has neither tag nor digest. */
export function tagNameOnly(ref: Reference): Reference {
  return ref.isNameOnly ? ref.withTag(DEFAULT_TAG) : ref;
}

function familiarRepository(ref: Reference): { domain: string; path: string } {
  if (ref.domain !== DEFAULT_DOMAIN) return { domain: ref.domain, path: ref.path };
  let path = ref.path;
  // Only a direct child of library/ is shortened: `library/a/b` must keep its prefix.
  if (path.startsWith(OFFICIAL_REPO_PREFIX) && !path.slice(OFFICIAL_REPO_PREFIX.length).includes('/')) {
    path = path.slice(OFFICIAL_REPO_PREFIX.length);
  }
  return { domain: '', path };
}

/** The name as Docker's UI shows it: `busybox`, `user/app`, `quay.io/x/y`. */
export function familiarName(ref: Reference): string {
  const { domain, path } = familiarRepository(ref);
  return domain === '' ? path : `${domain}/${path}`;
}

/** The whole reference as Docker's UI shows it: `busybox:latest`, `x@sha256:…`. */
export function familiarString(ref: Reference | DigestReference): string {
  if (ref instanceof DigestReference) return ref.digest;
  const { domain, path } = familiarRepository(ref);
  return new Reference(domain, path, ref.tag, ref.digest).toString();
}

/** True when the domain is Docker Hub's, which needs the registry host and auth key mapping. */
export function isDockerHub(ref: Reference): boolean {
  return ref.domain === DEFAULT_DOMAIN;
}
