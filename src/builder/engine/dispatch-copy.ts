/**
 * COPY and ADD: sources from the context, an earlier stage or an image (`--from`), wildcards,
 * directory contents, `--chown`/`--chmod`; ADD also unpacks local tar archives and downloads
 * http(s) URLs. The layer is made directly in a prepared snapshot, without a container. The
 * history line names the sources by content checksum, which is what makes the cache notice a
 * changed file.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdtemp, open, readdir, rm, utimes } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { invalidArgument } from '../../common/errors.js';
import type { Command } from '../instructions/index.js';
import { copyEntry, mkdirAll, parseChmod, resolveChown, scopedPath, unpackArchive, type Ownership } from './rootfs-write.js';
import { expandSource, sourcesChecksum, type CopySource } from './sources.js';
import { commit, expand, expansionEnv, nopCreatedByString, type BuildEnv, type StageState } from './step.js';
import { heredocSources, selectSources, type SourceGroup } from './copy-select.js';
import { ShellLex } from '../shell/index.js';

type CopyCmd = Extract<Command, { kind: 'copy' | 'add' }>;

const URL_RE = /^https?:\/\//;

/** Whether a file starts like a tar archive (plain or gzip) — what ADD unpacks. */
async function isArchive(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(512);
    const { bytesRead } = await fh.read(b, 0, 512, 0);
    if (bytesRead >= 2 && b[0] === 0x1f && b[1] === 0x8b) return true;
    return bytesRead >= 262 && b.subarray(257, 262).toString() === 'ustar';
  } finally {
    await fh.close();
  }
}

/** Downloads an ADD URL into `dir`, streaming; its name is the last path component. */
async function download(url: string, dir: string): Promise<CopySource> {
  const res = await fetch(url);
  if (!res.ok || !res.body) throw invalidArgument(`failed to GET ${url} with status ${res.status}: ${res.statusText}`);
  const name = posix.basename(new URL(url).pathname) || '__unnamed__';
  const abs = join(dir, name);
  await pipeline(Readable.fromWeb(res.body as never), createWriteStream(abs, { mode: 0o600 }));
  const lm = res.headers.get('last-modified');
  if (lm) await utimes(abs, new Date(lm), new Date(lm));
  return { abs, rel: name, isDir: false };
}

async function fileDigest(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return h.digest('hex');
}

/** `ADD --checksum=sha256:<hex>`: the downloaded file must have that digest. */
async function verifyChecksum(url: string, path: string, want: string): Promise<void> {
  if (!/^sha256:[0-9a-f]{64}$/.test(want)) throw invalidArgument(`invalid checksum digest format: ${want}`);
  const got = `sha256:${await fileDigest(path)}`;
  if (got !== want) throw invalidArgument(`failed to verify ADD ${url}: digest mismatch: expected ${want}, got ${got}`);
}

/** A heredoc source with an unquoted delimiter: variables expand, quotes and backslashes stay as written. */
function expandHeredoc(env: BuildEnv, state: StageState, data: string): string {
  return new ShellLex(env.lex.escapeToken, { rawQuotes: true, rawEscapes: true }).processWord(data, expansionEnv(state));
}

export async function dispatchCopy(env: BuildEnv, state: StageState, cmd: CopyCmd): Promise<void> {
  const x = (w: string) => expand(env, state, w);
  if (cmd.kind === 'add' && cmd.keepGitDir !== undefined) {
    throw invalidArgument('ADD --keep-git-dir is not supported: the classic builder does not fetch Git sources');
  }
  const from = cmd.kind === 'copy' ? x(cmd.from) : '';
  if (!from) return copyFrom(env, state, cmd, env.context.root, 'build context');
  const stage = env.stageIndex(from);
  const image = stage >= 0 ? env.stageImages.get(stage) : (env.backend.findImage(from) ?? await env.backend.pullImage(from, env.opts.platform, { write: (m) => { if (m.status) env.print(`${m.status}\n`); } })).id;
  if (stage >= 0 && !env.stageImages.has(stage)) throw invalidArgument(`invalid from flag value ${from}: stage not built yet`);
  if (image === undefined) throw invalidArgument(`invalid from flag value ${from}: stage has no image`);
  return env.backend.withImageRoot(image, (root) => copyFrom(env, state, cmd, root, `image ${from}`));
}

async function copyFrom(env: BuildEnv, state: StageState, cmd: CopyCmd, srcRoot: string, what: string): Promise<void> {
  const x = (w: string) => expand(env, state, w);
  const name = cmd.kind.toUpperCase();
  // A scratch dir only when a step needs one (downloads, --exclude/--parents, heredocs).
  let scratch: Promise<string> | undefined;
  const tmp = () => (scratch ??= mkdtemp(join(env.backend.stateDir, 'add-')));
  try {
    const groups: SourceGroup[] = [];
    const urls = new Set<CopySource>();
    const checksum = cmd.kind === 'add' ? x(cmd.checksum) : '';
    for (const raw of cmd.sourcePaths) {
      const src = x(raw);
      if (cmd.kind === 'add' && URL_RE.test(src)) {
        const s = await download(src, await tmp());
        if (checksum) await verifyChecksum(src, s.abs, checksum);
        urls.add(s);
        groups.push({ pattern: src, found: [s] });
        continue;
      }
      if (URL_RE.test(src)) throw invalidArgument(`source can't be a URL for ${name}`);
      if (checksum) throw invalidArgument("checksum can't be specified for non-HTTP(S) sources");
      groups.push({ pattern: src, found: await expandSource(srcRoot, src, what) });
    }
    const parents = cmd.kind === 'copy' && cmd.parents;
    const selected = await selectSources(groups, parents, cmd.excludePatterns.map(x), tmp);
    const sources = [...selected.sources, ...await heredocSources(cmd.sourceContents.map((c) => ({ path: c.path, data: c.expand ? expandHeredoc(env, state, c.data) : c.data })), tmp)];
    if (sources.length === 0) throw invalidArgument(`${name} failed: no source files were specified`);
    const destRaw = x(cmd.destPath);
    const destIsDir = selected.intoDir || destRaw.endsWith('/') || destRaw === '.' || destRaw.endsWith('/.');
    if (sources.length > 1 && !destIsDir) {
      throw invalidArgument(`When using ${name} with more than one source file, the destination must be a directory and end with a /`);
    }
    const dest = posix.resolve(state.config.WorkingDir || '/', destRaw);
    const unpack = cmd.kind === 'add' ? new Set(await Promise.all(sources.filter((s) => !s.isDir && !urls.has(s)).map(async (s) => (await isArchive(s.abs)) ? s : undefined))) : new Set();
    const sum = urls.size === 1 && sources.length === 1 ? `file:${await fileDigest(sources[0]!.abs)}` : await sourcesChecksum(sources, env.context);
    // The history names the destination as written (expanded), and the --chown value.
    const chown = x(cmd.chown);
    const createdBy = nopCreatedByString(state, `${name} ${chown ? `--chown=${chown} ` : ''}${sum} in ${destRaw} `);
    await commit(env, state, createdBy, parents ? [cmd.chown, cmd.chmod, 'parents'] : [cmd.chown, cmd.chmod], (spec) => env.backend.commitLayer(spec, async (root) => {
      const own: Ownership = { ...(await resolveChown(root, x(cmd.chown))), mode: parseChmod(x(cmd.chmod)) };
      for (const s of sources) {
        if (s.isDir) {
          await copyDirContents(s.abs, await mkdirAll(root, dest, own), own);
        } else if (unpack.has(s)) {
          await unpackArchive(root, dest, s.abs);
        } else {
          await copyFile(root, s, dest, destIsDir, own);
        }
      }
    }));
  } finally {
    if (scratch) await rm(await scratch, { recursive: true, force: true });
  }
}

async function copyDirContents(from: string, to: string, own: Ownership): Promise<void> {
  for (const c of await readdir(from)) await copyEntry(join(from, c), join(to, c), own);
}

async function copyFile(root: string, s: CopySource, dest: string, destIsDir: boolean, own: Ownership): Promise<void> {
  let target = dest;
  if (destIsDir) target = posix.join(dest, posix.basename(s.rel));
  else {
    const real = await scopedPath(root, dest, true);
    if ((await lstat(real).catch(() => undefined))?.isDirectory()) target = posix.join(dest, posix.basename(s.rel));
  }
  await mkdirAll(root, posix.dirname(target), own);
  await copyEntry(s.abs, await scopedPath(root, target), own);
}
