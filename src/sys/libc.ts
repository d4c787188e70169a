/**
 * Lazy access to libc through koffi. Loading the library and declaring a function cost a few
 * milliseconds, so nothing happens at import time: each binding declares its function on first
 * use and keeps it. Functions that the running glibc lacks (fsopen before 2.36) surface as
 * `undefined` from `optionalFunc`, so callers can fall back instead of crashing.
 */
import koffi from 'koffi';
import type { LibraryHandle } from 'koffi';
import { sysError } from './errno.js';

export type KoffiFunction = ReturnType<LibraryHandle['func']>;

let lib: LibraryHandle | undefined;

function libc(): LibraryHandle {
  lib ??= koffi.load('libc.so.6');
  return lib;
}

/** Returns a lazily declared libc function; the declaration runs on the first call. */
export function lazyFunc(definition: string): () => KoffiFunction {
  let fn: KoffiFunction | undefined;
  return () => {
    fn ??= libc().func(definition);
    return fn;
  };
}

/** Like lazyFunc, but yields undefined when the symbol is missing from this libc. */
export function optionalFunc(definition: string): () => KoffiFunction | undefined {
  let fn: KoffiFunction | undefined | null;
  return () => {
    if (fn === undefined) {
      try { fn = libc().func(definition); } catch { fn = null; }
    }
    return fn ?? undefined;
  };
}

/** The errno left by the last koffi call on this thread. */
export function lastErrno(): number {
  return koffi.errno();
}

/** Throws a Node-style error when a libc call returned -1. */
export function check(ret: number | bigint, syscall: string, path?: string, dest?: string): number {
  const n = Number(ret);
  if (n < 0) throw sysError(lastErrno(), syscall, path, dest);
  return n;
}
