/**
 * Remote build contexts, the parts the CLI (skiff build URL, as docker's legacy path fetches them
 * client-side) and skiffd (POST /build?remote=…) share: which URLs are git repositories, cloning
 * one with the system git, and peeking at a download's first bytes. Errors carry docker's words
 * without the caller's prefix.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';

export const isURL = (s: string): boolean => /^https?:\/\//.test(s);

/** docker's urlutil.IsGitURL. */
export const isGitURL = (s: string): boolean => (isURL(s) && /\.git(?:#.+)?$/.test(s)) || /^(git:\/\/|github\.com\/|git@)/.test(s);

/** moby's archive.IsArchive magic numbers: tar, gzip, bzip2, xz, zstd. */
export function isArchive(head: Buffer): boolean {
  if (head.length >= 262 && head.subarray(257, 262).toString() === 'ustar') return true;
  const magics = [[0x1f, 0x8b, 0x08], [0x42, 0x5a, 0x68], [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], [0x28, 0xb5, 0x2f, 0xfd]];
  return magics.some((mg) => head.length >= mg.length && mg.every((b, i) => head[i] === b));
}

/** The first bytes of a stream (at least 512 unless it ends sooner) and the whole stream again. */
export async function readHead(source: AsyncIterable<Buffer>): Promise<{ head: Buffer; rest: Readable }> {
  const rest = new PassThrough();
  const chunks: Buffer[] = [];
  let len = 0;
  const it = source[Symbol.asyncIterator]();
  while (len < 512) {
    const r = await it.next();
    if (r.done) break;
    chunks.push(r.value);
    len += r.value.length;
  }
  const head = Buffer.concat(chunks);
  rest.write(head);
  (async () => {
    for (let r = await it.next(); !r.done; r = await it.next()) if (!rest.write(r.value)) await new Promise((ok) => rest.once('drain', ok));
    rest.end();
  })().catch((e: Error) => rest.destroy(e));
  return { head, rest };
}

/** A git URL as docker reads it: the repository, the ref and the subdirectory (#ref:subdir). */
export function parseGitURL(url: string): { remote: string; ref: string; subdir: string } {
  const hash = url.indexOf('#');
  let remote = hash < 0 ? url : url.slice(0, hash);
  const fragment = hash < 0 ? '' : url.slice(hash + 1);
  if (remote.startsWith('github.com/')) remote = `https://${remote}`;
  const colon = fragment.indexOf(':');
  return { remote, ref: colon < 0 ? fragment : fragment.slice(0, colon), subdir: colon < 0 ? '' : fragment.slice(colon + 1) };
}

/** git is not installed (the caller words it). */
export class GitMissingError extends Error {}

function git(args: string[], cwd: string): { ok: boolean; output: string; status: number | null } {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) throw new GitMissingError(`unable to find 'git': exec: "git": executable file not found in $PATH`);
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`, status: r.status };
}

/**
 * Clones the repository (shallow, submodules too) into a new temporary directory under `parent`
 * and returns the context directory in it and the function that removes it all. Without a ref
 * the remote's default branch is fetched (docker's legacy path asks for "master" and fails on
 * repositories whose default has another name).
 */
export function cloneGitContext(url: string, parent: string): { dir: string; cleanup: () => void } {
  const { remote, ref, subdir } = parseGitURL(url);
  const root = mkdtempSync(join(parent, 'docker-build-git'));
  const cleanup = (): void => rmSync(root, { recursive: true, force: true });
  try {
    git(['init', '-q'], root);
    git(['remote', 'add', 'origin', remote], root);
    let f = git(['fetch', '-q', '--depth', '1', 'origin', '--', ref || 'HEAD'], root);
    if (!f.ok) f = git(['fetch', '-q', 'origin', '--', ref || 'HEAD'], root);
    if (!f.ok) throw new Error(`error fetching: ${f.output}: exit status ${f.status}`);
    const co = git(['checkout', '-q', 'FETCH_HEAD'], root);
    if (!co.ok) throw new Error(`error checking out ${ref || 'HEAD'}: ${co.output}: exit status ${co.status}`);
    const sm = git(['submodule', 'update', '--init', '--recursive', '--depth=1'], root);
    if (!sm.ok) throw new Error(`error initializing submodules: ${sm.output}: exit status ${sm.status}`);
    const dir = resolve(root, subdir || '.');
    if (dir !== root && !dir.startsWith(`${root}/`)) throw new Error(`subdirectory ${subdir} is outside the repository`);
    let isDir: boolean;
    try {
      isDir = statSync(dir).isDirectory();
    } catch {
      throw new Error(`stat ${dir}: no such file or directory`);
    }
    if (!isDir) throw new Error(`${subdir} is not a directory`);
    return { dir, cleanup };
  } catch (e) {
    cleanup();
    throw e;
  }
}
