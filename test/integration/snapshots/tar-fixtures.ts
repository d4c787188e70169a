/**
 * Builds layer tars in memory for the snapshot tests, with tar-stream (an independent
 * implementation from our reader, so the tests do not only check our codec against itself).
 */
import { Readable } from 'node:stream';
import tarStream from 'tar-stream';
import type { Header } from 'tar-stream';

export interface FixtureEntry extends Partial<Omit<Header, 'pax'>> {
  name: string;
  content?: string | Buffer;
  pax?: Record<string, string>;
}

export async function buildTar(entries: FixtureEntry[]): Promise<Buffer> {
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  const done = (async () => { for await (const c of pack) chunks.push(c as Buffer); })();
  for (const { content, ...h } of entries) {
    await new Promise<void>((resolve, reject) => {
      const header = { mtime: new Date(1_600_000_000_000), ...h };
      if (content !== undefined) {
        pack.entry({ ...header, size: Buffer.byteLength(content) }, content, (e) => (e ? reject(e) : resolve()));
      } else {
        pack.entry(header, (e) => (e ? reject(e) : resolve()));
      }
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

export function tarStreamOf(buf: Buffer): Readable {
  return Readable.from([buf]);
}
