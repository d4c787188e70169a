/**
 * Remote build contexts, fetched by the CLI as docker's legacy-builder path does:
 *   - a git repository (git://, git@, github.com/, or an http(s) URL ending in .git, with an
 *     optional #ref:subdir): cloned with the system git (common/remote-context.ts) into a
 *     temporary directory that then serves as a local context;
 *   - any other http(s) URL: downloaded with docker's progress line; a tarball (plain or
 *     compressed) is sent as the context as it arrives, a text file becomes the Dockerfile of a
 *     one-file context.
 */
import { tmpdir } from 'node:os';
import { Readable, Transform } from 'node:stream';
import { cloneGitContext, GitMissingError, isArchive, readHead } from '../../common/remote-context.js';
import { humanSize } from '../format/index.js';
import { StatusError } from '../framework/command.js';
import { dockerfileOnlyContext } from './build-context.js';

export { isArchive, isGitURL, isURL, readHead } from '../../common/remote-context.js';

const fail = (m: string): StatusError => new StatusError(1, `unable to prepare context: ${m}`);

/**
 * docker's JSONProgress text for a byte count where no terminal width applies (200 columns):
 * a 50-character bar, then current/total (or the current size alone when the total is unknown).
 */
export function progressText(current: number, total: number): string {
  if (current <= 0 && total <= 0) return '';
  if (total <= 0) return humanSize(current).padStart(8);
  const pct = Math.min(50, Math.floor(Math.floor((current / total) * 100) / 2));
  const bar = `[${'='.repeat(pct)}>${' '.repeat(Math.max(0, 50 - pct))}] `;
  return bar + (current > total ? humanSize(current).padStart(8) : `${humanSize(current).padStart(8)}/${humanSize(total)}`);
}

/**
 * Passes bytes through, reporting progress as docker's progress reader does: at most every 1%
 * (or 512 KiB) of the bytes read, its reads being 4 KiB for the first, 32 KiB after.
 */
function progressReader(total: number, report: (current: number) => void): Transform {
  const every = total > 0 ? Math.min(512 * 1024, Math.floor(total * 0.01)) : 512 * 1024;
  let current = 0;
  let last = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      for (let off = 0; off < chunk.length;) {
        const n = Math.min(chunk.length - off, current === 0 ? 4096 : 32 * 1024);
        current += n;
        off += n;
        if (current - last > every || current === total) {
          report(current);
          last = current;
        }
      }
      done(null, chunk);
    },
    flush(done) {
      // A body that fit in one read ends with a read of its own, reported again.
      if (current !== last || current === 0 || (total >= 0 && total <= 4096)) report(current);
      done();
    },
  });
}

export interface RemoteContext {
  body: Readable;
  dockerfile: string;
  /** docker prints no "Sending build context" line for a tarball it streams from a URL. */
  sendingLine: boolean;
}

/** Downloads an http(s) context; `progress` gets docker's "\r"-ended lines (undefined with -q). */
export async function urlContext(url: string, dockerfileFlag: string, progress?: (line: string) => void): Promise<RemoteContext> {
  const prefix = `unable to download remote context ${url}`;
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    const cause = (e as { cause?: Error }).cause;
    throw fail(`${prefix}: Get "${url}": ${cause?.message ?? (e as Error).message}`);
  }
  if (res.status >= 400) {
    const text = (await res.text().catch(() => '')).trim();
    throw fail(`${prefix}: failed to GET ${url} with status ${res.status} ${res.statusText}: ${text}`);
  }
  const total = Number(res.headers.get('content-length') ?? -1);
  const action = `Downloading build context from remote url: ${url}`;
  const counted = progressReader(total, (n) => progress?.(`${action} ${progressText(n, total)}\r`));
  const source = res.body ? Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>) : Readable.from([]);
  source.on('error', (e) => counted.destroy(e));
  source.pipe(counted);
  const { head, rest } = await readHead(counted);
  // docker ends the download's progress with a line break, and prints the "Sending build
  // context" line for a streamed tarball, only when the body ended on a read of its own: a body
  // that fits in the first 4 KiB read (what its HTTP client does).
  const whole = total >= 0 && total <= 4096;
  if (isArchive(head)) {
    if (whole) progress?.('\r\n');
    return { body: rest, dockerfile: dockerfileFlag || 'Dockerfile', sendingLine: whole };
  }
  const chunks: Buffer[] = [];
  for await (const c of rest) chunks.push(c as Buffer);
  if (whole) progress?.('\r\n');
  return { body: dockerfileOnlyContext(Buffer.concat(chunks)), dockerfile: 'Dockerfile', sendingLine: true };
}

/**
 * Clones the repository into a temporary directory: the context directory in it and the
 * function that removes it all.
 */
export function gitContext(url: string): { dir: string; cleanup: () => void } {
  try {
    return cloneGitContext(url, tmpdir());
  } catch (e) {
    if (e instanceof GitMissingError) throw fail(e.message);
    throw fail(`unable to 'git clone' to temporary context directory: ${(e as Error).message}`);
  }
}
