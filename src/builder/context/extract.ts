/**
 * The build context: the request body (a tar, possibly compressed) streamed onto disk in a
 * fresh directory, as moby's remotecontext does, so a context of any size never sits in memory.
 * The Dockerfile is read from it, then `.dockerignore` is applied on the daemon side too: a
 * client may not have filtered, and the ignore file and the Dockerfile themselves must not be
 * copied when they are excluded. File checksums are taken on the way in (sums.ts).
 */
import { lstat, mkdtemp, readdir, readFile, rm, rmdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { invalidArgument } from '../../common/errors.js';
import { applyLayer, decompress } from '../../containerd/archive/index.js';
import { IgnoreMatcher } from './patterns.js';
import { ContextSums } from './sums.js';

export interface BuildContext {
  /** The directory holding the extracted context. */
  root: string;
  /** The Dockerfile's text. */
  dockerfile: string;
  /** Patterns of `.dockerignore` (already applied to `root`). */
  ignore: IgnoreMatcher;
  /** Checksums of the files as they were unpacked (absent: sum from the disk). */
  sums?: ContextSums;
  /** Removes the directory. */
  close(): Promise<void>;
}

/** Context-relative, slash-separated, never escaping: the `dockerfile` query value cleaned. */
export function cleanContextPath(p: string): string {
  const clean = posix.normalize(`/${p}`).slice(1);
  return clean === '' ? '.' : clean;
}

async function readOptional(path: string): Promise<string | undefined> {
  try { return await readFile(path, 'utf8'); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
    throw e;
  }
}

/** Deletes what the rules exclude; descends into excluded directories only when an exception could keep something there. */
async function prune(root: string, rel: string, ignore: IgnoreMatcher): Promise<void> {
  for (const name of await readdir(join(root, rel))) {
    const path = rel ? `${rel}/${name}` : name;
    const abs = join(root, path);
    const excluded = ignore.matches(path);
    const st = await lstat(abs);
    if (st.isDirectory()) {
      if (excluded && !ignore.hasExclusions) { await rm(abs, { recursive: true, force: true }); continue; }
      await prune(root, path, ignore);
      if (excluded) await rmdir(abs).catch(() => undefined);
    } else if (excluded) {
      await rm(abs, { force: true });
    }
  }
}

export async function openContext(body: Readable, tmpRoot: string, dockerfileName: string): Promise<BuildContext> {
  const root = await mkdtemp(join(tmpRoot, 'context-'));
  const close = () => rm(root, { recursive: true, force: true });
  try {
    const sums = new ContextSums();
    await applyLayer(root, decompress(body), { observe: (h, path) => sums.observe(h, path) });
    const ignore = IgnoreMatcher.fromText((await readOptional(join(root, '.dockerignore'))) ?? '');
    const name = cleanContextPath(dockerfileName || 'Dockerfile');
    let dockerfile = await readOptional(join(root, name));
    // Docker falls back to the lower-case name when the default one is absent.
    if (dockerfile === undefined && !dockerfileName) dockerfile = await readOptional(join(root, 'dockerfile'));
    if (dockerfile === undefined) {
      throw invalidArgument(`Cannot locate specified Dockerfile: ${dockerfileName || 'Dockerfile'}`);
    }
    // Without rules nothing is excluded: no need to walk the tree.
    if (ignore.patterns.length) await prune(root, '', ignore);
    if (ignore.matches('.dockerignore')) await rm(join(root, '.dockerignore'), { force: true });
    return { root, dockerfile, ignore, sums, close };
  } catch (e) {
    await close();
    throw e;
  }
}
