/**
 * Platform selection from an image index or manifest list, with containerd's rules (which Docker
 * uses): names are normalised (`x86_64` → amd64, `aarch64` → arm64, arm defaults to v7, arm64's
 * v8 is the same as no variant), and a platform also accepts what it can run, best first: an
 * amd64 host runs 386, arm/v7 runs v6 and v5, arm64 runs arm. Entries without a platform come last.
 */
import { EngineError, invalidArgument } from '../../common/errors.js';
import type { Descriptor, Index, Platform } from '../../oci/image-spec.js';

export interface PlatformSpec {
  os: string;
  architecture: string;
  variant?: string;
}

export function normalizePlatform(p: PlatformSpec): PlatformSpec {
  const os = (p.os || 'linux').toLowerCase() === 'macos' ? 'darwin' : (p.os || 'linux').toLowerCase();
  let arch = p.architecture.toLowerCase();
  let variant = (p.variant ?? '').toLowerCase();
  switch (arch) {
    case 'i386': arch = '386'; variant = ''; break;
    case 'x86_64': case 'x86-64': case 'amd64':
      arch = 'amd64';
      if (variant === 'v1') variant = '';
      break;
    case 'aarch64': case 'arm64':
      arch = 'arm64';
      if (variant === '8' || variant === 'v8' || variant === 'v8.0') variant = '';
      else if (variant === '9' || variant === '9.0' || variant === 'v9.0') variant = 'v9';
      break;
    case 'armhf': arch = 'arm'; variant = 'v7'; break;
    case 'armel': arch = 'arm'; variant = 'v6'; break;
    case 'arm':
      if (variant === '' || variant === '7') variant = 'v7';
      else if (variant === '5' || variant === '6' || variant === '8') variant = `v${variant}`;
      break;
  }
  return variant ? { os, architecture: arch, variant } : { os, architecture: arch };
}

/** Parses `os[/arch[/variant]]` or `arch` as the `--platform` option does. */
export function parsePlatform(s: string): PlatformSpec {
  const parts = s.trim().split('/');
  if (parts.some((x) => x === '') || parts.length > 3) {
    throw invalidArgument(`"${s}": unknown operating system or architecture: invalid argument`);
  }
  const [a = '', b, c] = parts;
  if (parts.length === 1) {
    // A bare word is an OS when it is one, else an architecture for this OS.
    return ['linux', 'windows', 'darwin', 'freebsd'].includes(a.toLowerCase())
      ? { ...defaultPlatform(), os: a.toLowerCase() }
      : normalizePlatform({ os: 'linux', architecture: a });
  }
  return normalizePlatform({ os: a, architecture: b as string, ...(c !== undefined ? { variant: c } : {}) });
}

export function formatPlatform(p: PlatformSpec): string {
  return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}

/** The platform of this machine (Docker's default for pulls). */
export function defaultPlatform(): PlatformSpec {
  const arch = ({ x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' } as Record<string, string>)[process.arch] ?? process.arch;
  return normalizePlatform({ os: 'linux', architecture: arch });
}

/** What a platform can run, best first (containerd's `platformVector`). */
export function platformVector(p: PlatformSpec): PlatformSpec[] {
  const n = normalizePlatform(p);
  const out: PlatformSpec[] = [n];
  const version = Number((n.variant ?? '').replace(/^v/, ''));
  if (n.architecture === 'amd64') {
    for (let v = Number.isInteger(version) && version > 1 ? version - 1 : 0; v >= 1; v--) {
      out.push(normalizePlatform({ os: n.os, architecture: 'amd64', variant: `v${v}` }));
    }
    out.push({ os: n.os, architecture: '386' });
  } else if (n.architecture === 'arm') {
    for (let v = Number.isInteger(version) ? version - 1 : 0; v >= 5; v--) out.push({ os: n.os, architecture: 'arm', variant: `v${v}` });
  } else if (n.architecture === 'arm64') {
    const variant = n.variant ?? 'v8';
    const m = /^v([89])(?:\.(\d))?$/.exec(variant);
    if (m !== null) {
      out.length = 0;
      const minor = Number(m[2] ?? 0);
      // Each v9.x includes v8.(x+5): walk down both lines, newest first.
      const lines: Array<[number, number]> = m[1] === '9' ? [[9, minor], [8, Math.min(minor + 5, 9)]] : [[8, minor]];
      for (const [maj, min] of lines) {
        for (let k = min; k >= 0; k--) out.push(normalizePlatform({ os: n.os, architecture: 'arm64', variant: k === 0 ? `v${maj}` : `v${maj}.${k}` }));
      }
      out.push(...platformVector({ os: n.os, architecture: 'arm', variant: 'v8' }));
    }
  }
  return out;
}

function same(a: PlatformSpec, b: PlatformSpec): boolean {
  return a.os === b.os && a.architecture === b.architecture && (a.variant ?? '') === (b.variant ?? '');
}

/** Rank of `candidate` for `want`: 0 is best, -1 means it does not match. */
export function platformRank(want: PlatformSpec, candidate: Platform | PlatformSpec): number {
  const c = normalizePlatform(candidate);
  return platformVector(want).findIndex((v) => same(v, c));
}

/** Picks the best manifest for `want`; not-found with Docker's message when none fits. */
export function selectManifest(index: Index, want: PlatformSpec = defaultPlatform()): Descriptor {
  let best: Descriptor | undefined;
  let bestRank = Infinity;
  for (const d of index.manifests ?? []) {
    const rank = d.platform === undefined ? Number.MAX_SAFE_INTEGER : platformRank(want, d.platform);
    if (rank >= 0 && rank < bestRank) {
      best = d;
      bestRank = rank;
    }
  }
  if (best === undefined) throw new EngineError('not-found', noMatchingManifest(want));
  return best;
}

/** Docker's wording for a list without a fitting entry. */
export function noMatchingManifest(want: PlatformSpec): string {
  return `no matching manifest for ${formatPlatform(normalizePlatform(want))} in the manifest list entries`;
}
