/**
 * Engine API version constants and comparison, and the engine version string we report.
 *
 * The engine version: clients show it but only negotiate on the API version. Tools that parse
 * `Version` as semver (testcontainers, compose's feature checks, docker CLI's `docker info`
 * warnings) expect a Docker-like `MAJOR.MINOR.PATCH`; a semver pre-release suffix keeps it honest
 * without breaking parsers. So `/version` reports `28.0.0-skiff` (the Docker generation whose API
 * range we serve) and the `Server` header says `Docker/28.0.0-skiff (linux)`; the real product
 * version is in the `Components` list under the name `Skiff`.
 */
import { SKIFF_VERSION } from '../common/version.js';

/** The newest API version served and advertised in `Api-Version` (moby MaxAPIVersion). */
export const API_VERSION = '1.56';
/** The lowest API version the daemon can be configured to serve (moby MinAPIVersion). */
export const MIN_API_VERSION = '1.24';
/** What `/version` reports as `Version`; see the module comment. */
export const ENGINE_VERSION = '28.0.0-skiff';
export const PRODUCT_VERSION = SKIFF_VERSION;

/**
 * Compares dotted version strings numerically, segment by segment, a missing segment counting as
 * 0 (moby's versions.compare): `1.9 < 1.10`, `1.24 == 1.24.0`.
 */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  const n = Math.max(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    const x = i < pa.length ? Number.parseInt(pa[i]!, 10) || 0 : 0;
    const y = i < pb.length ? Number.parseInt(pb[i]!, 10) || 0 : 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function versionLess(a: string, b: string): boolean {
  return compareVersions(a, b) < 0;
}

export function versionGreater(a: string, b: string): boolean {
  return compareVersions(a, b) > 0;
}

/** Docker's words for a request version outside [min, max]; null when it is served. */
export function checkApiVersion(version: string, min: string, max: string = API_VERSION): string | null {
  if (versionLess(version, min)) {
    return `client version ${version} is too old. Minimum supported API version is ${min}, please upgrade your client to a newer version`;
  }
  if (versionGreater(version, max)) {
    return `client version ${version} is too new. Maximum supported API version is ${max}`;
  }
  return null;
}

/** Validates a configured minimum API version (daemon.json `min-api-version`), Docker's wording. */
export function validateMinApiVersion(v: string): string | null {
  if (v === '') return 'value is empty';
  if (v[0] === 'v' || v[0] === 'V') return 'API version must be provided without "v" prefix';
  if (!/^[0-9]+(\.[0-9]+)*$/.test(v)) return `invalid API version: ${v}`;
  if (versionLess(v, MIN_API_VERSION)) return `minimum supported API version is ${MIN_API_VERSION}: ${v}`;
  if (versionGreater(v, API_VERSION)) return `maximum supported API version is ${API_VERSION}: ${v}`;
  return null;
}
