/**
 * POST /build?remote=…: the daemon fetches the context itself, as dockerd does for API clients
 * (the CLIs fetch URLs on their side). A git repository is cloned with the system git and sent
 * through as a tar; an http(s) download is the context when it is a (possibly compressed)
 * tarball, else its text is the Dockerfile (named by the `dockerfile` parameter) of a one-file
 * context.
 */
import { PassThrough, Readable } from 'node:stream';
import tar from 'tar-stream';
import { invalidArgument } from '../../common/errors.js';
import { cloneGitContext, GitMissingError, isArchive, isGitURL, isURL, readHead } from '../../common/remote-context.js';
import { writeDiff } from '../../containerd/archive/index.js';

export interface RemoteBody {
  body: Readable;
  /** Removes what the fetch left on disk (a clone). */
  cleanup(): void;
}

export async function remoteContext(remote: string, dockerfileName: string, scratch: string): Promise<RemoteBody> {
  if (isGitURL(remote)) {
    let repo: { dir: string; cleanup: () => void };
    try {
      repo = cloneGitContext(remote, scratch);
    } catch (e) {
      if (e instanceof GitMissingError) throw e;
      throw invalidArgument((e as Error).message);
    }
    const body = new PassThrough();
    writeDiff([], repo.dir, body).then(() => body.end(), (e: Error) => body.destroy(e));
    return { body, cleanup: repo.cleanup };
  }
  if (!isURL(remote)) throw invalidArgument(`remoteURL (${remote}) could not be recognized as URL`);
  let res: Response;
  try {
    res = await fetch(remote);
  } catch (e) {
    const cause = (e as { cause?: Error }).cause;
    throw invalidArgument(`error downloading remote context ${remote}: Get "${remote}": ${cause?.message ?? (e as Error).message}`);
  }
  if (res.status >= 400) {
    const text = (await res.text().catch(() => '')).trim();
    throw invalidArgument(`error downloading remote context ${remote}: failed to GET ${remote} with status ${res.status} ${res.statusText}: ${text}`);
  }
  const download = res.body ? Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>) : Readable.from([]);
  const { head, rest } = await readHead(download);
  if (isArchive(head)) return { body: rest, cleanup: () => undefined };
  const chunks: Buffer[] = [];
  for await (const c of rest) chunks.push(c as Buffer);
  const content = Buffer.concat(chunks);
  const pack = tar.pack();
  pack.entry({ name: dockerfileName || 'Dockerfile', mode: 0o600, mtime: new Date(), size: content.length }, content);
  pack.finalize();
  return { body: pack as unknown as Readable, cleanup: () => undefined };
}
