/**
 * Docker's `filters` query parameter (moby filters.FromJSON): JSON mapping a filter name to its
 * values, as a list (`{"status":["running"]}`) or in the older object form
 * (`{"status":{"running":true}}`). One parser for every list and prune endpoint.
 */
import { invalidArgument } from './errors.js';

export type FilterArgs = Map<string, string[]>;

/** Parses `raw` (empty → no filters); with `allowed`, an unknown key is `invalid filter 'k'`. */
export function parseFilterArgs(raw: string | null | undefined, allowed?: readonly string[]): FilterArgs {
  const out: FilterArgs = new Map();
  if (!raw) return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw invalidArgument(`invalid filter: ${(e as Error).message}`, e);
  }
  if (parsed === null) return out;
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidArgument(`invalid filter: ${raw}`);
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (allowed && !allowed.includes(k)) throw invalidArgument(`invalid filter '${k}'`);
    if (Array.isArray(v)) out.set(k, v.map(String));
    else if (v && typeof v === 'object') out.set(k, Object.entries(v as Record<string, unknown>).filter(([, on]) => on).map(([x]) => x));
    else throw invalidArgument(`invalid filter: ${raw}`);
  }
  return out;
}
