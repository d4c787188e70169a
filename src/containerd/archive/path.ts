/**
 * Confining layer entries to the root they are unpacked into. Entry names are untrusted: a name
 * with `..`, or a parent directory that is (or was made by an earlier entry) a symlink leading
 * outside, could write anywhere on the host. Names are split into components and every parent
 * is resolved one component at a time with lstat: a real directory is entered, a relative
 * symlink is followed only while it stays under the root (as the kernel's RESOLVE_IN_ROOT
 * would), and an absolute symlink or one climbing out of the root is refused. Only this module
 * joins entry names to the root.
 */
import { lstat, mkdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { invalidArgument } from '../../common/errors.js';

const MAX_SYMLINKS = 40;

export function escapes(name: string): Error {
  return invalidArgument(`layer entry "${name}" escapes the root`);
}

/** Splits an entry name into clean components; `..` anywhere is refused. "./" yields []. */
export function entryComponents(name: string): string[] {
  if (name.includes('\0')) throw invalidArgument(`layer entry "${name}" has a NUL byte in its name`);
  const parts: string[] = [];
  for (const c of name.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') throw escapes(name);
    parts.push(c);
  }
  return parts;
}

function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

export class RootResolver {
  /** Parent component lists already resolved → their real path under root. */
  private cache = new Map<string, string>();

  /** `onCreate` hears of every directory made implicitly for a missing parent. */
  constructor(readonly root: string, private readonly onCreate?: (dir: string) => void) {}

  /** Forget resolutions after anything was removed or replaced. */
  invalidate(): void {
    this.cache.clear();
  }

  /**
   * The real directory under root that `components` names, following in-root relative
   * symlinks. Missing directories are created (0755) when `create`, else yield undefined.
   * `entry` is the tar name, for messages.
   */
  async dir(components: readonly string[], entry: string, create: boolean): Promise<string | undefined> {
    const key = components.join('/');
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const stack: string[] = [];
    const queue = [...components];
    let links = 0;
    while (queue.length) {
      const c = queue.shift()!;
      if (c === '' || c === '.') continue;
      if (c === '..') {
        // Only symlink targets bring `..` here; climbing above the root is an escape.
        if (stack.length === 0) throw escapes(entry);
        stack.pop();
        continue;
      }
      const p = join(this.root, ...stack, c);
      let st;
      try {
        st = await lstat(p);
      } catch (e) {
        if (code(e) !== 'ENOENT') throw e;
        if (!create) return undefined;
        await mkdir(p, { mode: 0o755 });
        this.onCreate?.(p);
        stack.push(c);
        continue;
      }
      if (st.isDirectory()) {
        stack.push(c);
      } else if (st.isSymbolicLink()) {
        if (++links > MAX_SYMLINKS) throw invalidArgument(`layer entry "${entry}": too many levels of symbolic links`);
        const target = await readlink(p);
        if (target.startsWith('/')) throw escapes(entry);
        queue.unshift(...target.split('/'));
      } else {
        throw invalidArgument(`layer entry "${entry}": "${[...stack, c].join('/')}" is not a directory`);
      }
    }
    const real = join(this.root, ...stack);
    this.cache.set(key, real);
    return real;
  }
}
