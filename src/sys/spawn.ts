/**
 * posix_spawn(3) for the daemon's hot path. Node's child_process forks the whole daemon (page
 * tables of a few hundred MiB: milliseconds with the event loop blocked); glibc's posix_spawn
 * uses clone(CLONE_VM|CLONE_VFORK), which costs the same for a small or a large parent. Used to
 * launch skiff-shim on every container start. stdin is /dev/null; stdout and stderr are pipes read
 * as Node streams. The caller reaps the child with `exited` (libuv reaps only the pids it spawned
 * itself, so it never takes ours).
 */
import { closeSync } from 'node:fs';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { check, lastErrno, lazyFunc } from './libc.js';
import { sysError } from './errno.js';

const O_CLOEXEC = 0o2000000;
const O_RDONLY = 0;
const WNOHANG = 1;
const ECHILD = 10;
/** sizeof(posix_spawn_file_actions_t) is 80 and of posix_spawnattr_t 336 on glibc; leave room. */
const FILE_ACTIONS_SIZE = 256;
const ATTR_SIZE = 1024;
const SIGSET_SIZE = 128;
const POSIX_SPAWN_SETSIGDEF = 0x04;
const POSIX_SPAWN_SETSIGMASK = 0x08;

const pipe2Fn = lazyFunc('int pipe2(_Out_ int *fds, int flags)');
const faInitFn = lazyFunc('int posix_spawn_file_actions_init(void *fa)');
const faDestroyFn = lazyFunc('int posix_spawn_file_actions_destroy(void *fa)');
const faDup2Fn = lazyFunc('int posix_spawn_file_actions_adddup2(void *fa, int fd, int newfd)');
const faOpenFn = lazyFunc('int posix_spawn_file_actions_addopen(void *fa, int fd, const char *path, int oflag, uint32_t mode)');
const attrInitFn = lazyFunc('int posix_spawnattr_init(void *attr)');
const attrDestroyFn = lazyFunc('int posix_spawnattr_destroy(void *attr)');
const attrFlagsFn = lazyFunc('int posix_spawnattr_setflags(void *attr, short flags)');
const attrSigDefFn = lazyFunc('int posix_spawnattr_setsigdefault(void *attr, const void *set)');
const attrSigMaskFn = lazyFunc('int posix_spawnattr_setsigmask(void *attr, const void *set)');
const sigfillsetFn = lazyFunc('int sigfillset(void *set)');
const sigemptysetFn = lazyFunc('int sigemptyset(void *set)');
const spawnFn = lazyFunc('int posix_spawn(_Out_ int *pid, const char *path, void *fa, void *attr, const char **argv, const char **envp)');
const waitpidFn = lazyFunc('int waitpid(int pid, _Out_ int *status, int options)');

export interface LightChild {
  pid: number;
  stdout: Readable;
  stderr: Readable;
  /** Resolves with the exit code (or 128+signal) once the child is reaped. */
  exited: Promise<number>;
}

/** posix_spawn and its helpers return an errno value instead of setting errno. */
function ok(rc: number | bigint, what: string, path?: string): void {
  if (Number(rc) !== 0) throw sysError(Number(rc), what, path);
}

function pipe(): [number, number] {
  const fds = [0, 0];
  check(pipe2Fn()(fds, O_CLOEXEC), 'pipe2');
  return [fds[0]!, fds[1]!];
}

function reaper(pid: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let delay = 1;
    const poll = () => {
      const status = [0];
      const r = Number(waitpidFn()(pid, status, WNOHANG));
      if (r === pid) {
        const st = status[0]!;
        const sig = st & 0x7f;
        resolve(sig === 0 ? (st >> 8) & 0xff : 128 + sig);
        return;
      }
      if (r < 0) {
        const errno = lastErrno();
        if (errno === ECHILD) return resolve(-1);
        return reject(sysError(errno, 'waitpid'));
      }
      setTimeout(poll, delay);
      delay = Math.min(delay * 2, 50);
    };
    poll();
  });
}

/** Starts `path` with `argv` (argv[0] included) and the daemon's environment. */
export function spawnLight(path: string, argv: string[]): LightChild {
  const [outR, outW] = pipe();
  const [errR, errW] = pipe();
  const fa = Buffer.alloc(FILE_ACTIONS_SIZE);
  const attr = Buffer.alloc(ATTR_SIZE);
  let pid: number;
  try {
    ok(faInitFn()(fa), 'posix_spawn_file_actions_init');
    ok(attrInitFn()(attr), 'posix_spawnattr_init');
    try {
      // As libuv does for its children: every signal back to its default action (Node ignores
      // SIGPIPE, which would otherwise reach the shim and, through it, the container) and none
      // blocked.
      const all = Buffer.alloc(SIGSET_SIZE);
      const none = Buffer.alloc(SIGSET_SIZE);
      check(sigfillsetFn()(all), 'sigfillset');
      check(sigemptysetFn()(none), 'sigemptyset');
      ok(attrFlagsFn()(attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK), 'posix_spawnattr_setflags');
      ok(attrSigDefFn()(attr, all), 'posix_spawnattr_setsigdefault');
      ok(attrSigMaskFn()(attr, none), 'posix_spawnattr_setsigmask');
      ok(faOpenFn()(fa, 0, '/dev/null', O_RDONLY, 0), 'posix_spawn_file_actions_addopen');
      ok(faDup2Fn()(fa, outW, 1), 'posix_spawn_file_actions_adddup2');
      ok(faDup2Fn()(fa, errW, 2), 'posix_spawn_file_actions_adddup2');
      const env = Object.entries(process.env).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`);
      const out = [0];
      ok(spawnFn()(out, path, fa, attr, [...argv, null], [...env, null]), 'posix_spawn', path);
      pid = out[0]!;
    } finally {
      faDestroyFn()(fa);
      attrDestroyFn()(attr);
    }
  } catch (e) {
    for (const fd of [outR, outW, errR, errW]) closeSync(fd);
    throw e;
  }
  closeSync(outW);
  closeSync(errW);
  const stdout = new Socket({ fd: outR, readable: true, writable: false });
  const stderr = new Socket({ fd: errR, readable: true, writable: false });
  // The child's stdout closes when it exits (or hands the pipe on); reap from then on.
  const exited = new Promise<number>((resolve, reject) => {
    stdout.once('close', () => reaper(pid).then(resolve, reject));
  });
  return { pid, stdout, stderr, exited };
}
