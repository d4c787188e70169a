/**
 * Chain ids name a stack of layers (OCI image-spec config.md): the bottom layer's chain id is
 * its diff id; each next one is the sha256 of "<parent chain id> <diff id>". Two images sharing
 * their bottom layers share those chain ids, hence those snapshots.
 */
import { createHash } from 'node:crypto';
import { invalidArgument } from '../../common/errors.js';

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** The chain id of each prefix of `diffIds` (bottom first). */
export function chainIds(diffIds: readonly string[]): string[] {
  const out: string[] = [];
  for (const d of diffIds) {
    if (!DIGEST.test(d)) throw invalidArgument(`invalid diff id "${d}"`);
    const parent = out.at(-1);
    out.push(parent === undefined ? d : `sha256:${createHash('sha256').update(`${parent} ${d}`).digest('hex')}`);
  }
  return out;
}

/** The chain id of the whole stack; throws on an empty list. */
export function chainId(diffIds: readonly string[]): string {
  const id = chainIds(diffIds).at(-1);
  if (id === undefined) throw invalidArgument('chain id of no layers');
  return id;
}
