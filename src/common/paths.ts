/** Where the installed pieces live: the checkout (or package) root and the native helpers. */
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';

/** The package root: the directory holding package.json, found upward from this compiled file. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = resolve(dir, '..');
  }
  throw new Error('skiff: cannot find the package root');
}

/** Path of a native helper (skiff-init, skiff-shim); SKIFF_LIBEXEC overrides the directory. */
export function nativeBinary(name: string): string {
  const dir = process.env.SKIFF_LIBEXEC ?? join(packageRoot(), 'native', 'build');
  return join(dir, name);
}
