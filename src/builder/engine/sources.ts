/**
 * COPY/ADD sources in the build context: wildcard expansion (Go `filepath.Match` per path, as
 * the legacy builder matches), the errors Docker prints for missing sources, and the content
 * checksum that names the sources in the history line (`file:<hex>`, `dir:<hex>`,
 * `multi:<hex>`, Docker's sums) and so keys the build cache — a changed file changes the step.
 */
import { lstat, readdir } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import { invalidArgument } from '../../common/errors.js';
import { compileGlob } from '../context/patterns.js';
import type { BuildContext } from '../context/index.js';
import { hashStrings, SourceSums } from './tarsum.js';

export interface CopySource {
  /** Absolute path on the daemon's disk. */
  abs: string;
  /** Path relative to its root (context or image), for messages and the checksum. */
  rel: string;
  isDir: boolean;
}

const WILDCARD = /[*?[]/;

/** Joins a user path to a root, clamping `..` at the root as Docker does for context paths. */
export function clampedJoin(root: string, p: string): { abs: string; rel: string } {
  const rel = posix.normalize(`/${p}`).slice(1);
  return { abs: rel ? join(root, rel) : root, rel: rel || '.' };
}

async function walk(root: string, rel: string, into: string[]): Promise<void> {
  for (const name of (await readdir(join(root, rel))).sort()) {
    const path = rel ? `${rel}/${name}` : name;
    into.push(path);
    if ((await lstat(join(root, path))).isDirectory()) await walk(root, path, into);
  }
}

/** Expands one source (maybe with wildcards) in `root`; `what` names the root in errors. */
export async function expandSource(root: string, src: string, what: string): Promise<CopySource[]> {
  const { abs, rel } = clampedJoin(root, src);
  if (!WILDCARD.test(rel)) {
    try {
      const st = await lstat(abs);
      return [{ abs, rel, isDir: st.isDirectory() }];
    } catch {
      throw invalidArgument(`file not found in ${what}: stat ${src}: file does not exist`);
    }
  }
  const re = compileGlob(rel);
  const all: string[] = [];
  await walk(root, '', all);
  const out: CopySource[] = [];
  for (const p of all) {
    if (!re.test(p)) continue;
    const st = await lstat(join(root, p));
    out.push({ abs: join(root, p), rel: p, isDir: st.isDirectory() });
  }
  return out;
}

/** The root a source was found under, and its path there (staged sources are named by their base name). */
function rootOf(s: CopySource): { root: string; rel: string } {
  const rel = posix.normalize(`/${s.rel}`).slice(1);
  if (rel === '') return { root: s.abs, rel: '' };
  if (s.abs.endsWith(`/${rel}`)) return { root: s.abs.slice(0, -rel.length - 1), rel };
  return { root: dirname(s.abs), rel: basename(s.abs) };
}

/**
 * The history name of a set of sources, as Docker computes it (see tarsum.ts); the sums taken
 * while `context` was unpacked serve the sources found in it.
 */
export async function sourcesChecksum(sources: readonly CopySource[], context?: BuildContext): Promise<string> {
  const sums: string[] = [];
  for (const s of sources) {
    const { root, rel } = rootOf(s);
    sums.push(await new SourceSums(root, root === context?.root ? context.sums : undefined).sourceHash(rel));
  }
  return sums.length === 1 ? sums[0]! : hashStrings('multi', sums);
}
