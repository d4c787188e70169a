/**
 * Local filesystem helpers for cp and export: Go-worded errors ("lstat /x: no such file or
 * directory", as the docker CLI prints its os errors), docker's ValidateOutputPath, and temp
 * paths beside a destination so a file appears only once completely written.
 */
import { lstatSync, statSync } from 'node:fs';
import { basename, dirname, join, normalize, resolve } from 'node:path';

const STRERROR: Record<string, string> = {
  ENOENT: 'no such file or directory', ENOTDIR: 'not a directory', EACCES: 'permission denied',
  EEXIST: 'file exists', EISDIR: 'is a directory', ELOOP: 'too many levels of symbolic links',
  EPERM: 'operation not permitted', ENOSPC: 'no space left on device', EROFS: 'read-only file system',
};

/** A Node fs error as Go's *PathError prints it; other errors unchanged. */
export function goFsError(e: unknown, op?: string, path?: string): Error {
  const n = e as NodeJS.ErrnoException;
  if (!n || typeof n.code !== 'string' || !STRERROR[n.code]) return e instanceof Error ? e : new Error(String(e));
  return new Error(`${op ?? n.syscall ?? 'stat'} ${path ?? n.path ?? ''}: ${STRERROR[n.code]}`);
}

/** Runs a synchronous fs call, rethrowing its error in Go's wording. */
export function goFs<T>(op: string, path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw goFsError(e, op, path);
  }
}

/** docker's command.ValidateOutputPath: the parent must exist, the path be a dir or regular file. */
export function validateOutputPath(path: string): void {
  const dir = dirname(normalize(path));
  if (dir !== '.' && dir !== '') {
    try {
      statSync(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`invalid output path: directory "${dir}" does not exist`);
    }
  }
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw goFsError(e, 'stat', path);
  }
  if (st.isDirectory() || st.isFile()) return;
  const what = st.isBlockDevice() || st.isCharacterDevice() ? 'got a device' : 'got an irregular file';
  throw new Error(`invalid output path: "${path}" must be a directory or a regular file: ${what}`);
}

export function tempPathBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.skiff-tmp-${process.pid}-${Date.now()}`);
}

/** Streams to stdout; a reader that went away (EPIPE, `| head`) ends the copy quietly, as SIGPIPE ends docker's. */
export async function pipeToStdout(src: NodeJS.ReadableStream): Promise<void> {
  const { pipeline } = await import('node:stream/promises');
  try {
    await pipeline(src, process.stdout);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPIPE') throw e;
  }
}

/** moby's atomicwriter destination check (docker export -o): parent a directory, target not a link or dir. */
export function validateAtomicDestination(file: string): void {
  const abs = resolve(file);
  const dir = dirname(abs);
  let di;
  try {
    di = statSync(dir);
  } catch (e) {
    throw new Error(`invalid output path: ${goFsError(e, 'stat', dir).message}`);
  }
  if (!di.isDirectory()) throw new Error(`invalid output path: "${dir}" is not a directory`);
  let fi;
  try {
    fi = lstatSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new Error(`failed to stat output path: ${goFsError(e, 'lstat', abs).message}`);
  }
  if (fi.isFile()) return;
  if (fi.isSymbolicLink()) throw new Error(`cannot write to a symbolic link directly: ${abs}`);
  if (fi.isDirectory()) throw new Error(`cannot write to a directory: ${abs}`);
  throw new Error(`unsupported file type: ${abs}`);
}
