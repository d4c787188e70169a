/**
 * Capabilities and seccomp as Docker computes them: the default 14 capabilities plus CapAdd
 * minus CapDrop (with ALL), everything when privileged; Docker's default seccomp profile
 * converted for this arch and capability set, unless unconfined or a custom profile is given.
 */
import type { Capabilities, LinuxSeccomp } from '../runtime-spec.js';
import { invalidArgument } from '../../common/errors.js';
import { ALL_CAPABILITIES, DOCKER_DEFAULT_CAPABILITIES, canonicalCapability, lastCap } from '../../runtime/capabilities.js';
import { dockerDefaultSeccompProfile, dockerProfileToOci, type DockerSeccompProfile } from '../seccomp-docker.js';

function normalize(list: readonly string[] | null | undefined): string[] {
  return (list ?? []).map((c) => {
    if (c.toUpperCase() === 'ALL') return 'ALL';
    const n = canonicalCapability(c);
    if (!n) throw invalidArgument(`invalid capability: ${c.toUpperCase().startsWith('CAP_') ? c : `CAP_${c.toUpperCase()}`}`);
    return n;
  });
}

export function capabilitySet(privileged: boolean, capAdd?: string[] | null, capDrop?: string[] | null): string[] {
  const known = ALL_CAPABILITIES.slice(0, lastCap() + 1);
  if (privileged) return [...known];
  const add = normalize(capAdd);
  const drop = normalize(capDrop);
  let caps = new Set<string>(DOCKER_DEFAULT_CAPABILITIES);
  if (drop.includes('ALL')) caps = new Set();
  if (add.includes('ALL')) caps = new Set(known);
  for (const c of add) if (c !== 'ALL') caps.add(c);
  for (const c of drop) if (c !== 'ALL' && !add.includes(c)) caps.delete(c);
  return [...caps].sort((a, b) => ALL_CAPABILITIES.indexOf(a) - ALL_CAPABILITIES.indexOf(b));
}

export function processCapabilities(caps: string[]): Capabilities {
  return { bounding: caps, effective: caps, permitted: caps };
}

/** SecurityOpt `seccomp=unconfined|<profile json>` → the container's filter (undefined = none). */
export function seccompFor(caps: string[], privileged: boolean, securityOpt: readonly string[]): LinuxSeccomp | undefined {
  const opt = securityOpt.find((o) => o.startsWith('seccomp=') || o.startsWith('seccomp:'));
  const value = opt?.slice('seccomp='.length);
  if (value === 'unconfined') return undefined;
  if (privileged && !value) return undefined;
  let profile: DockerSeccompProfile;
  if (value) {
    try {
      profile = JSON.parse(value) as DockerSeccompProfile;
    } catch {
      throw invalidArgument('Decoding seccomp profile failed: invalid JSON');
    }
  } else {
    profile = dockerDefaultSeccompProfile();
  }
  return dockerProfileToOci(profile, { capabilities: caps });
}

export function noNewPrivileges(securityOpt: readonly string[]): boolean {
  return securityOpt.some((o) => o === 'no-new-privileges' || o === 'no-new-privileges:true' || o === 'no-new-privileges=true');
}
