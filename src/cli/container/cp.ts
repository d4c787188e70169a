/**
 * `skiff cp`: copies between a container (GET/PUT /containers/{id}/archive, HEAD for the path's
 * stat) and the local filesystem, with docker's rules for what lands where (see cp-archive.ts),
 * `-` for a tar on stdin/stdout, -a (keep uid/gid), -L (follow the source symlink), and docker's
 * messages. On a terminal it ends with "Successfully copied …" on stderr, as docker does.
 */
import type { IncomingMessage } from 'node:http';
import { lstatSync, readdirSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { humanSizeWithPrecision } from '../format/index.js';
import type { Cli } from '../framework/cli.js';
import { StatusError, type Command } from '../framework/command.js';
import { absLocal, extractTo, localDestInfo, localSourceInfo, packLocal, prepareCopy, rebaseNameOf, splitDirEntry, type CopyInfo, type Rebase, counted } from './cp-archive.js';
import { pipeToStdout, validateOutputPath } from './local-fs.js';

interface PathStat { name: string; size: number; mode: number; mtime: string; linkTarget: string }

const MODE_DIR = 2 ** 31;
const MODE_SYMLINK = 2 ** 27;
const MODE_DEVICE = 2 ** 26;
const MODE_IRREGULAR = 2 ** 19;
const STAT_HEADER = 'x-docker-container-path-stat';

function decodeStat(res: IncomingMessage): PathStat | undefined {
  const raw = res.headers[STAT_HEADER];
  if (typeof raw !== 'string') return undefined;
  try {
    return JSON.parse(Buffer.from(raw, 'base64').toString()) as PathStat;
  } catch {
    return undefined;
  }
}

async function statPath(cli: Cli, container: string, path: string): Promise<PathStat> {
  const res = await cli.client.request('HEAD', `/containers/${encodeURIComponent(container)}/archive`, { query: { path } });
  res.resume();
  const st = decodeStat(res);
  if (!st) throw new Error('unable to decode container path stat header');
  return st;
}

/** docker's splitCpArg: `name:path`, unless the argument is an absolute or `.`-prefixed local path. */
function splitArg(arg: string): [string, string] {
  if (arg.startsWith('/')) return ['', arg];
  const i = arg.indexOf(':');
  if (i < 0 || arg.startsWith('.')) return ['', arg];
  return [arg.slice(0, i), arg.slice(i + 1)];
}

const size = (n: number): string => humanSizeWithPrecision(n, 3);

async function fromContainer(cli: Cli, container: string, srcPath: string, dest: string, follow: boolean, quiet: boolean): Promise<void> {
  const dstPath = dest === '-' ? dest : absLocal(dest);
  validateOutputPath(dstPath);
  let rebase = '';
  if (follow) {
    const st = await statPath(cli, container, srcPath).catch(() => undefined);
    if (st && (st.mode & MODE_SYMLINK) !== 0) {
      let target = st.linkTarget;
      if (!target.startsWith('/')) target = `${splitDirEntry(srcPath)[0]}/${target}`.replace(/\/+/g, '/');
      [srcPath, rebase] = rebaseNameOf(srcPath, target.length > 1 ? target.replace(/\/+$/, '') : target);
    }
  }
  const res = await cli.client.request('GET', `/containers/${encodeURIComponent(container)}/archive`, { query: { path: srcPath } });
  if (dstPath === '-') {
    await pipeToStdout(res);
    return;
  }
  const st = decodeStat(res);
  const src: CopyInfo = { path: srcPath, exists: true, isDir: ((st?.mode ?? 0) & MODE_DIR) !== 0, rebaseName: rebase };
  const total = { n: 0 };
  let err: unknown;
  try {
    const dst = localDestInfo(dstPath);
    const prepared = prepareCopy(src, dst);
    // With -L the archive is named after the link's target: renamed to the link's name first.
    const rebases: Rebase[] = rebase ? [[splitDirEntry(srcPath)[1], rebase]] : [];
    if (prepared.rebase) rebases.push(prepared.rebase);
    await extractTo(counted(res, total), prepared.dir, rebases);
  } catch (e) {
    res.destroy();
    err = e;
  }
  const copied = total.n;
  const content = src.isDir ? copied : st?.size ?? copied;
  if (!quiet) cli.err(`Successfully copied ${size(content)}${content !== copied ? ` (transferred ${size(copied)})` : ''} to ${dstPath}\n`);
  if (err) throw err;
}

function localContentSize(path: string): number {
  const st = lstatSync(path);
  if (!st.isDirectory()) return st.isFile() ? st.size : 0;
  let total = 0;
  const walk = (p: string): void => {
    for (const name of readdirSync(p)) {
      const s = lstatSync(`${p}/${name}`);
      if (s.isDirectory()) walk(`${p}/${name}`);
      else if (s.isFile()) total += s.size;
    }
  };
  walk(path);
  return total;
}

async function toContainer(cli: Cli, container: string, source: string, dstPath: string, opts: { follow: boolean; archive: boolean; quiet: boolean }): Promise<void> {
  const srcPath = source === '-' ? source : absLocal(source);
  const dst: CopyInfo = { path: dstPath, exists: false, isDir: false, rebaseName: '' };
  try {
    let st = await statPath(cli, container, dstPath);
    if ((st.mode & MODE_SYMLINK) !== 0) {
      let target = st.linkTarget;
      if (!target.startsWith('/')) target = `${splitDirEntry(dstPath)[0]}/${target}`.replace(/\/+/g, '/');
      dst.path = target;
      st = await statPath(cli, container, target);
    }
    const bad = (st.mode & MODE_DEVICE) !== 0 ? 'got a device' : (st.mode & MODE_IRREGULAR) !== 0 ? 'got an irregular file' : '';
    if (bad) throw new StatusError(1, `destination "${container}:${dstPath}" must be a directory or a regular file: ${bad}`);
    dst.exists = true;
    dst.isDir = (st.mode & MODE_DIR) !== 0;
  } catch (e) {
    // A failed stat is ignored, as docker does: the parent may exist, and the PUT tells.
    if (e instanceof StatusError) throw e;
  }
  let input: NodeJS.ReadableStream;
  let dir: string;
  let contentSize: number | undefined;
  if (srcPath === '-') {
    if (!dst.isDir) throw new StatusError(1, `destination "${container}:${dstPath}" must be a directory`);
    input = process.stdin;
    dir = dst.path;
  } else {
    const src = localSourceInfo(srcPath, opts.follow);
    contentSize = localContentSize(src.path.replace(/\/\.?$/, '') || '/');
    const prepared = prepareCopy(src, dst);
    const rebases: Rebase[] = src.rebaseName ? [[splitDirEntry(src.path)[1], src.rebaseName]] : [];
    if (prepared.rebase) rebases.push(prepared.rebase);
    input = packLocal(src, rebases);
    dir = prepared.dir;
  }
  const total = { n: 0 };
  const body = counted(input, total);
  let err: unknown;
  try {
    const res = await cli.client.request('PUT', `/containers/${encodeURIComponent(container)}/archive`, {
      query: { path: dir, noOverwriteDirNonDir: 'true', copyUIDGID: opts.archive ? 'true' : undefined },
      body, headers: { 'Content-Type': 'application/x-tar' },
    });
    res.resume();
  } catch (e) {
    err = e;
  }
  const copied = total.n;
  if (!opts.quiet) cli.err(`Successfully copied ${size(contentSize ?? copied)}${contentSize !== undefined && contentSize !== copied ? ` (transferred ${size(copied)})` : ''} to ${container}:${dst.path}\n`);
  if (err) throw err;
}

const command: Command = {
  usage: '[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tskiff cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH',
  short: 'Copy files/folders between a container and the local filesystem',
  aliases: ['skiff container cp', 'skiff cp'],
  flags: [
    { long: 'archive', short: 'a', kind: 'bool', help: 'Archive mode (copy all uid/gid information)' },
    { long: 'follow-link', short: 'L', kind: 'bool', help: 'Always follow symbol link in SRC_PATH' },
    { long: 'quiet', short: 'q', kind: 'bool', help: 'Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached' },
  ],
  args: { min: 2, max: 2 },
  async run(cli, o, [source, dest]) {
    if (source === '') throw new StatusError(1, 'source can not be empty');
    if (dest === '') throw new StatusError(1, 'destination can not be empty');
    const quiet = o.has('quiet') ? o.bool('quiet') : !process.stdout.isTTY;
    const [srcContainer, srcPath] = splitArg(source!);
    const [dstContainer, dstPath] = splitArg(dest!);
    if (srcContainer && dstContainer) throw new StatusError(1, 'copying between containers is not supported');
    if (!srcContainer && !dstContainer) throw new StatusError(1, 'must specify at least one container source');
    if (srcContainer) return fromContainer(cli, srcContainer, srcPath, dstPath, o.bool('follow-link'), quiet);
    return toContainer(cli, dstContainer, srcPath, dstPath, { follow: o.bool('follow-link'), archive: o.bool('archive'), quiet });
  },
};
export default command;
