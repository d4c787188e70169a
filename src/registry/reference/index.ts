/**
 * Image references: the strict grammar and Docker's normalisation of familiar names.
 * Callers import from here; the files behind it are the grammar, the value type and the rules.
 */
export {
  Reference, DigestReference, parseReference, withName, NAME_TOTAL_LENGTH_MAX,
  ErrReferenceInvalidFormat, ErrTagInvalidFormat, ErrDigestInvalidFormat, ErrNameContainsUppercase,
  ErrNameEmpty, ErrNameTooLong, ErrNameNotCanonical,
} from './reference.js';
export {
  parseNormalizedNamed, parseDockerRef, parseAnyReference, tagNameOnly, familiarName, familiarString,
  splitDockerDomain, isDockerHub, DEFAULT_DOMAIN, LEGACY_DEFAULT_DOMAIN, OFFICIAL_REPO_PREFIX, DEFAULT_TAG,
} from './normalize.js';
