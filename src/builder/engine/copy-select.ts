/**
 * The COPY/ADD options that change which files are copied and where they land, as BuildKit's
 * Dockerfile frontend reads them (in its labs channel; we accept them without a `# syntax`
 * line): `--exclude=<pattern>` leaves out matching paths, `--parents` keeps each source's path
 * (below a `/./` pivot when there is one) under the destination; and heredoc sources
 * (`COPY <<EOF /f`) become files. The selection is staged as a filtered copy in a temp dir, so
 * the step's checksum, and with it the cache, see exactly what is copied.
 */
import { chmod, lstat, mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { IgnoreMatcher } from '../context/index.js';
import { copyEntry } from './rootfs-write.js';
import type { CopySource } from './sources.js';

export interface SourceGroup {
  /** The source as written, variables expanded. */
  pattern: string;
  found: CopySource[];
}

/** The part of a `--parents` source path that is kept: below the last `/./`, else all of it. */
function keptPath(pattern: string, rel: string): string {
  const clean = posix.normalize(`/${rel}`).slice(1);
  const cut = `/${pattern}`.lastIndexOf('/./');
  if (cut < 0) return clean;
  const pivot = posix.normalize(`/${pattern}`.slice(0, cut)).slice(1);
  return pivot && clean.startsWith(`${pivot}/`) ? clean.slice(pivot.length + 1) : clean;
}

/** The directory a source's paths are relative to for `--exclude`: the wildcard's or the file's directory. */
function baseOf(pattern: string, s: CopySource): string {
  const rel = posix.normalize(`/${s.rel}`).slice(1);
  if (!/[*?[]/.test(pattern) && s.isDir) return rel;
  return posix.dirname(rel) === '.' ? '' : posix.dirname(rel);
}

/** Copies `from` to `to` leaving out what `excluded(relative path)` says, keeping modes and times. */
async function stageTree(from: string, to: string, rel: string, excluded: (rel: string) => boolean): Promise<void> {
  const st = await lstat(from);
  if (!st.isDirectory()) { await copyEntry(from, to, { uid: st.uid, gid: st.gid }); return; }
  await mkdir(to, { recursive: true });
  for (const c of (await readdir(from)).sort()) {
    const r = rel ? `${rel}/${c}` : c;
    if (excluded(r)) continue;
    await stageTree(join(from, c), join(to, c), r, excluded);
  }
  await chmod(to, st.mode & 0o7777);
  await utimes(to, st.atime, st.mtime);
}

/**
 * Applies `--exclude` and `--parents` to the expanded sources. With `--parents` the result is one
 * directory whose contents go into the destination directory.
 */
export async function selectSources(groups: readonly SourceGroup[], parents: boolean, exclude: readonly string[], tmp: () => Promise<string>): Promise<{ sources: CopySource[]; intoDir: boolean }> {
  const matcher = exclude.length ? IgnoreMatcher.fromText(exclude.join('\n')) : undefined;
  if (!parents && !matcher) return { sources: groups.flatMap((g) => g.found), intoDir: false };
  const stage = join(await tmp(), 'selected');
  await mkdir(stage, { recursive: true });
  const out: CopySource[] = [];
  let n = 0;
  for (const g of groups) {
    for (const s of g.found) {
      const base = baseOf(g.pattern, s);
      const ctxRel = posix.normalize(`/${s.rel}`).slice(1);
      const relToBase = (r: string) => (base ? posix.relative(base, r) : r);
      const excluded = (inside: string) => {
        if (!matcher) return false;
        const full = s.isDir ? (ctxRel === '.' || ctxRel === '' ? inside : `${ctxRel}/${inside}`) : ctxRel;
        return matcher.matches(relToBase(full)) || matcher.matches(full);
      };
      if (!s.isDir && excluded('')) continue;
      if (s.isDir && /[*?[]/.test(g.pattern) && matcher && (matcher.matches(relToBase(ctxRel)) || matcher.matches(ctxRel))) continue;
      if (parents) {
        const to = join(stage, keptPath(g.pattern, s.rel));
        await mkdir(posix.dirname(to), { recursive: true });
        await stageTree(s.abs, to, '', excluded);
      } else {
        const to = join(stage, `${n++}`, posix.basename(s.abs));
        await mkdir(posix.dirname(to), { recursive: true });
        await stageTree(s.abs, to, '', excluded);
        out.push({ abs: to, rel: s.rel, isDir: s.isDir });
      }
    }
  }
  if (parents) return { sources: [{ abs: stage, rel: '.', isDir: true }], intoDir: true };
  return { sources: out, intoDir: false };
}

/** Heredoc sources as files named after their delimiters (mode 0644, as BuildKit makes them). */
export async function heredocSources(contents: readonly { path: string; data: string }[], tmp: () => Promise<string>): Promise<CopySource[]> {
  if (contents.length === 0) return [];
  const dir = join(await tmp(), 'heredocs');
  await mkdir(dir, { recursive: true });
  const out: CopySource[] = [];
  for (const [i, c] of contents.entries()) {
    const abs = join(dir, `${i}`, posix.basename(c.path));
    await mkdir(posix.dirname(abs), { recursive: true });
    await writeFile(abs, c.data);
    await chmod(abs, 0o644);
    out.push({ abs, rel: posix.basename(c.path), isDir: false });
  }
  return out;
}
