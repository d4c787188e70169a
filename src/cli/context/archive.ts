/**
 * Docker's context archive: a tar of `meta.json` (0644) and `tls/<endpoint>/<file>` (0600, dirs
 * 0700), what `docker context export` writes and `import` reads. Reading is lenient where docker's
 * own writer is sloppy (its archives end without the tar trailer, even without the last block's
 * padding) and strict where docker is: at most 10 MiB, only meta.json and tls/ paths, clean
 * relative paths. The whole archive is checked before anything is stored.
 */
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { ContextStore, DEFAULT_CONTEXT, type ContextMeta } from '../../client/index.js';

const VALID_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$/;
const MAX_IMPORT = 10 << 20;

/** docker's store.ValidateContextName. */
export function validateName(name: string): void {
  if (name === '') throw new Error('context name cannot be empty');
  if (name === DEFAULT_CONTEXT) throw new Error('"default" is a reserved context name');
  if (!VALID_NAME.test(name)) throw new Error(`context name "${name}" is invalid, names are validated against regexp "${VALID_NAME.source}"`);
}

export interface ContextArchive {
  meta: ContextMeta;
  /** endpoint → file name → bytes */
  tls: Record<string, Record<string, Buffer>>;
}

/** The tar bytes for a context (docker's entry order, names and modes; epoch mtimes, uid 0). */
export async function packContext(a: ContextArchive): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c) => void chunks.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  const mtime = new Date(0);
  const meta = Buffer.from(JSON.stringify(a.meta));
  pack.entry({ name: 'meta.json', mode: 0o644, mtime, size: meta.length }, meta);
  pack.entry({ name: 'tls', type: 'directory', mode: 0o700, mtime });
  for (const [ep, files] of Object.entries(a.tls)) {
    pack.entry({ name: `tls/${ep}`, type: 'directory', mode: 0o700, mtime });
    for (const [f, data] of Object.entries(files)) pack.entry({ name: `tls/${ep}/${f}`, mode: 0o600, mtime, size: data.length }, data);
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

function checkPath(p: string): void {
  const clean = p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
  if (p !== 'meta.json' && !p.startsWith('tls/')) throw new Error(`${p}: unexpected context file`);
  if (!clean) throw new Error(`${p}: unexpected path format`);
  if (p.includes('\\')) throw new Error(`${p}: unexpected '\\' in path`);
}

/** Reads at most 10 MiB of `input`; more is an error, as in docker. */
async function readLimited(input: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of input) {
    n += (c as Buffer).length;
    if (n > MAX_IMPORT) throw new Error('read size exceeded');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/** tar-stream's complaints in the words of Go's archive/tar, which docker prints. */
function goTarError(e: Error): Error {
  if (/unexpected end/i.test(e.message)) return new Error('unexpected EOF');
  if (/invalid tar header/i.test(e.message)) return new Error('archive/tar: invalid tar header');
  return e;
}

/** Parses an exported context; `name` replaces the name stored in meta.json. */
export async function unpackContext(name: string, input: Readable): Promise<ContextArchive> {
  const body = await readLimited(input);
  if (body.subarray(0, 4).equals(Buffer.from('PK\x03\x04'))) throw new Error('zip context archives are not supported; export the context as a tar archive');
  let meta: ContextMeta | undefined;
  const tlsFiles: Record<string, Record<string, Buffer>> = {};
  const ex = tar.extract();
  let inEntry = false;
  let entries = 0;
  let failure: Error | undefined;
  ex.on('entry', (h, stream, next) => {
    inEntry = true;
    entries++;
    const parts: Buffer[] = [];
    stream.on('data', (c) => void parts.push(c as Buffer));
    stream.on('end', () => {
      inEntry = false;
      try {
        if (h.type !== 'file') return next();
        checkPath(h.name);
        const data = Buffer.concat(parts);
        if (h.name === 'meta.json') {
          const parsed = JSON.parse(data.toString()) as ContextMeta;
          if (typeof parsed !== 'object' || parsed === null) throw new Error('invalid context: meta.json is not an object');
          meta = { ...parsed, Name: name, Metadata: parsed.Metadata ?? {}, Endpoints: parsed.Endpoints ?? {} };
        } else {
          const rest = h.name.slice('tls/'.length).split('/');
          if (rest.length !== 2) throw new Error('archive format is invalid');
          (tlsFiles[rest[0]!] ??= {})[rest[1]!] = data;
        }
        next();
      } catch (e) {
        failure ??= e as Error;
        ex.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    ex.on('finish', resolve);
    ex.on('close', () => (failure ? reject(failure) : resolve()));
    // docker's own archives stop right after the last file's bytes: an end between entries is the end.
    ex.on('error', (e) => (failure ? reject(failure) : inEntry || entries === 0 ? reject(goTarError(e)) : resolve()));
    ex.end(body);
  });
  if (failure) throw failure;
  if (!meta) throw new Error('invalid context: no metadata found');
  return { meta, tls: tlsFiles };
}

/** Stores an unpacked context under its (new) name; a failure leaves no trace of it. */
export function storeContext(store: ContextStore, a: ContextArchive): void {
  store.create(a.meta);
  try {
    for (const [ep, files] of Object.entries(a.tls)) store.setTLS(a.meta.Name, ep, files);
  } catch (e) {
    store.remove(a.meta.Name);
    throw e;
  }
}
