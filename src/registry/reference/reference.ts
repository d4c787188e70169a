/**
 * Parsed image references and the strict parser (distribution/reference `Parse`, `WithName`,
 * `WithTag`, `WithDigest`). A reference is an immutable value: a repository (domain + path) with
 * an optional tag and digest. Error texts are Docker's, since clients and users read them.
 */
import { invalidArgument } from '../../common/errors.js';
import { digestError } from '../../containerd/content/digest.js';
import {
  anchoredDigestRegexp, anchoredNameRegexp, anchoredTagRegexp, referenceRegexp,
} from './grammar.js';

export const NAME_TOTAL_LENGTH_MAX = 255;

export const ErrReferenceInvalidFormat = 'invalid reference format';
export const ErrTagInvalidFormat = 'invalid tag format';
export const ErrDigestInvalidFormat = 'invalid digest format';
export const ErrNameContainsUppercase = 'repository name must be lowercase';
export const ErrNameEmpty = 'repository name must have at least one component';
export const ErrNameTooLong = `repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`;
export const ErrNameNotCanonical = 'repository name must be canonical';

/** A named reference: `[domain/]path[:tag][@digest]`. */
export class Reference {
  readonly domain: string;
  readonly path: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;

  constructor(domain: string, path: string, tag?: string, digest?: string) {
    this.domain = domain;
    this.path = path;
    this.tag = tag || undefined;
    this.digest = digest || undefined;
  }

  /** The repository name with its domain, e.g. `docker.io/library/busybox`. */
  get name(): string {
    return this.domain === '' ? this.path : `${this.domain}/${this.path}`;
  }

  toString(): string {
    let s = this.name;
    if (this.tag !== undefined) s += `:${this.tag}`;
    if (this.digest !== undefined) s += `@${this.digest}`;
    return s;
  }

  /** The repository alone, without tag or digest (`TrimNamed`). */
  trimmed(): Reference {
    return new Reference(this.domain, this.path);
  }

  withTag(tag: string): Reference {
    if (!anchoredTagRegexp.test(tag)) throw invalidArgument(ErrTagInvalidFormat);
    return new Reference(this.domain, this.path, tag, this.digest);
  }

  withDigest(digest: string): Reference {
    if (!anchoredDigestRegexp.test(digest)) throw invalidArgument(ErrDigestInvalidFormat);
    return new Reference(this.domain, this.path, this.tag, digest);
  }

  /** Neither tagged nor digested. */
  get isNameOnly(): boolean {
    return this.tag === undefined && this.digest === undefined;
  }
}

/** A reference that is only a digest (`sha256:…`), as `ParseAnyReference` may return. */
export class DigestReference {
  readonly digest: string;
  constructor(digest: string) {
    this.digest = digest;
  }
  toString(): string {
    return this.digest;
  }
}

/** Parses a reference exactly as written: no default domain, no `library/` (distribution `Parse`). */
export function parseReference(s: string): Reference {
  if (s === '') throw invalidArgument(ErrNameEmpty);
  const m = referenceRegexp.exec(s);
  if (m === null) {
    const lower = s.toLowerCase();
    if (lower !== s && referenceRegexp.test(lower)) throw invalidArgument(ErrNameContainsUppercase);
    throw invalidArgument(ErrReferenceInvalidFormat);
  }
  const [, name = '', tag, digest] = m;
  const n = anchoredNameRegexp.exec(name);
  const domain = n?.[1] ?? '';
  const path = n?.[2] ?? name;
  if (path.length > NAME_TOTAL_LENGTH_MAX) throw invalidArgument(ErrNameTooLong);
  if (digest !== undefined) {
    const err = digestError(digest);
    if (err !== null) throw invalidArgument(err);
  }
  return new Reference(domain, path, tag, digest);
}

/** Builds a name-only reference from `[domain/]path` (distribution `WithName`). */
export function withName(name: string): Reference {
  const m = anchoredNameRegexp.exec(name);
  if (m === null) throw invalidArgument(ErrReferenceInvalidFormat);
  const path = m[2] ?? '';
  if (path.length > NAME_TOTAL_LENGTH_MAX) throw invalidArgument(ErrNameTooLong);
  return new Reference(m[1] ?? '', path);
}
