/**
 * COPY/ADD sources in the build context: wildcard expansion (Go `filepath.Match` per path, as
 * the legacy builder matches), the errors Docker prints for missing sources, and the content
 * checksum that names the sources in the history line (`file:<hex>`, `dir:<hex>`,
 * `multi:<hex>`) and so keys the build cache — a changed file changes the step.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { invalidArgument } from '../../common/errors.js';
import { compileGlob } from '../context/patterns.js';

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

async function hashFile(h: Hash, abs: string): Promise<void> {
  for await (const chunk of createReadStream(abs)) h.update(chunk as Buffer);
}

/** Hashes names, modes and contents below `src` (itself included), streaming file bodies. */
async function hashTree(h: Hash, abs: string, name: string): Promise<void> {
  const st = await lstat(abs);
  h.update(`${name}\0${st.mode}\0${st.uid}:${st.gid}\0`);
  if (st.isSymbolicLink()) h.update(`${await readlink(abs)}\0`);
  else if (st.isFile()) { h.update(`${st.size}\0`); await hashFile(h, abs); }
  else if (st.isDirectory()) for (const c of (await readdir(abs)).sort()) await hashTree(h, join(abs, c), `${name}/${c}`);
}

/** The history name of a set of sources: `file:`, `dir:` or `multi:` and a content hash. */
export async function sourcesChecksum(sources: readonly CopySource[]): Promise<string> {
  const h = createHash('sha256');
  for (const s of sources) await hashTree(h, s.abs, s.isDir ? '' : posix.basename(s.rel));
  const kind = sources.length > 1 ? 'multi' : sources[0]?.isDir ? 'dir' : 'file';
  return `${kind}:${h.digest('hex')}`;
}
