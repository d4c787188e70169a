/**
 * The image reference grammar of distribution/reference, as regular expressions. Docker's pattern
 * is matched leftmost-first by Go's RE2; JavaScript's backtracking engine picks the same captures
 * for this grammar, and the grammar has no nested ambiguous quantifiers that could blow up.
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [domain "/"] remote-name
 *   domain    := host [":" port]      host := domain-name | "[" ipv6 "]"
 *   remote    := path-component ("/" path-component)*
 *   path-component := [a-z0-9]+ (separator [a-z0-9]+)*   separator := [._] | "__" | "-"+
 *   tag       := [\w][\w.-]{0,127}
 *   digest    := algorithm ":" hex{32,}
 */

const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const optionalPort = '(?::[0-9]+)?';
const ipv6address = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`;
const host = `(?:${domainName}|${ipv6address})`;
const domainAndPort = host + optionalPort;
const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const namePat = `(?:${domainAndPort}/)?${remoteName}`;

/** Captures: 1 name, 2 tag, 3 digest. */
export const referenceRegexp = new RegExp(`^(${namePat})(?::(${tag}))?(?:@(${digest}))?$`);
/** Captures: 1 domain (may be undefined), 2 remote name. */
export const anchoredNameRegexp = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`);
export const anchoredTagRegexp = new RegExp(`^${tag}$`);
export const anchoredDigestRegexp = new RegExp(`^${digest}$`);
export const anchoredDomainRegexp = new RegExp(`^${domainAndPort}$`);
/** A bare image ID: refused as a repository name because it would be ambiguous. */
export const anchoredIdentifierRegexp = /^[a-f0-9]{64}$/;
