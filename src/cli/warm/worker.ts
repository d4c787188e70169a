/**
 * A process of the CLI's warm pool (see pool.ts): started with the CLI bundle loaded, every
 * command's module initialised and the common commands rehearsed (rehearsal.ts), it listens on <pool>/w-<pid>.sock for one command from
 * skiff-launch, takes that caller's stdio descriptors, working directory, umask, environment and
 * arguments as its own, answers 'K' and runs the command as a cold start would; at exit it
 * reports the code ('X', code) and refills the pool. A process whose bundle changed on disk
 * since it loaded answers 'S' instead, and skiff-launch starts cold.
 *
 * If skiff-launch goes away (killed), the command gets SIGHUP, as a terminal's would.
 */
import { readFileSync, readlinkSync, statSync, writeSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { closeFd, dup2, peerCredentials, pollReadable, prepareFdPass, recvWithFds } from '../../sys/fdpass.js';
import { idleMilliseconds, scheduleRefill } from './pool.js';
import { rehearse } from './rehearsal.js';

export interface WarmCli {
  /** Files whose change makes this process stale: the bundle it loaded. */
  files: string[];
  /** The launcher script argv[1] names (and that new pool processes run). */
  script: string;
  preload(): Promise<void>;
  /** The CLI's entry, for the rehearsal (rehearsal.ts) before the first command. */
  main(argv: string[]): Promise<number>;
  /** Commands that must start cold: they may need a controlling terminal. */
  needsTerminal(argv: string[], env: NodeJS.ProcessEnv): Promise<boolean>;
  /** Runs the command in this process's (now the caller's) environment, then exits. */
  run(argv: string[]): void;
}

interface Request {
  umask: number;
  /** skiff-launch runs in the background of the terminal that is its stdin (a shell's `&` job). */
  background: boolean;
  cwd: string;
  argv: string[];
  env: string[];
  fds: number[];
}

const HEADER = 24;
const BACKGROUND = 1;
const READ_TIMEOUT_MS = 2000;

/** Reads skiff-launch's message (format in native/launch/main.c). Throws when it is not one. */
export function readRequest(fd: number): Request {
  let buf = Buffer.alloc(16 * 1024);
  let got = 0;
  let need = HEADER;
  const fds: number[] = [];
  const deadline = Date.now() + READ_TIMEOUT_MS;
  try {
    while (got < need) {
      const r = recvWithFds(fd, buf.subarray(got, need), 3);
      fds.push(...r.fds);
      if (r.n === 0) throw new Error('skiff-launch closed the connection');
      if (r.n < 0) {
        if (!pollReadable(fd, Math.max(0, deadline - Date.now()))) throw new Error('skiff-launch sent no command');
        continue;
      }
      got += r.n;
      if (need === HEADER && got === HEADER) {
        if (buf.toString('latin1', 0, 4) !== 'SKF1') throw new Error('not a skiff-launch message');
        need = HEADER + buf.readUInt32LE(20);
        if (need > buf.length) buf = Buffer.concat([buf.subarray(0, got), Buffer.alloc(need - got)]);
      }
    }
    if (fds.length !== 3) throw new Error(`skiff-launch sent ${fds.length} descriptors, not 3`);
  } catch (e) {
    for (const f of fds) closeFd(f);
    throw e;
  }
  const [umask, argc, envc, flags] = [buf.readUInt32LE(4), buf.readUInt32LE(8), buf.readUInt32LE(12), buf.readUInt32LE(16)];
  const fields = buf.toString('utf8', HEADER, need).split('\0');
  return {
    umask, background: (flags & BACKGROUND) !== 0, cwd: fields[0]!,
    argv: fields.slice(1, 1 + argc), env: fields.slice(1 + argc, 1 + argc + envc), fds,
  };
}

const stamp = (files: string[]): string => files.map((f) => {
  try {
    const st = statSync(f);
    return `${st.mtimeMs}:${st.size}:${st.ino}`;
  } catch {
    return '-';
  }
}).join('|');

/** A process's supplementary groups, sorted ('?' when unreadable, which never matches). */
function groupsOf(pid: number): string {
  try {
    const line = /^Groups:(.*)$/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1] ?? '';
    return line.trim().split(/\s+/).filter(Boolean).map(Number).sort((a, b) => a - b).join(',');
  } catch {
    return `?${pid}`;
  }
}

const NAMESPACES = ['mnt', 'net', 'pid', 'user', 'uts', 'ipc', 'cgroup'];

/** Whether the process `pid` has our namespaces and root directory. */
function sameWorld(pid: number): boolean {
  try {
    for (const ns of NAMESPACES) if (readlinkSync(`/proc/${pid}/ns/${ns}`) !== readlinkSync(`/proc/self/ns/${ns}`)) return false;
    return readlinkSync(`/proc/${pid}/root`) === readlinkSync('/proc/self/root');
  } catch {
    return false;
  }
}

function environment(entries: string[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const kv of entries) {
    const eq = kv.indexOf('=');
    if (eq > 0) env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return env;
}

/** Makes this process the caller's (its directory is already): stdio, umask, environment, argv. */
function adopt(req: Request, env: NodeJS.ProcessEnv, script: string): void {
  req.fds.forEach((f, i) => {
    if (f !== i) {
      dup2(f, i);
      closeFd(f);
    }
  });
  process.umask(req.umask);
  for (const k of Object.keys(process.env)) delete process.env[k];
  Object.assign(process.env, env);
  process.argv = [process.execPath, script, ...req.argv];
}

/** Answers skiff-launch with one byte and lets go of the command. */
function decline(socket: Socket, fd: number, req: Request, reply: 'S' | 'C' | undefined): void {
  for (const f of req.fds) closeFd(f);
  try {
    if (reply) writeSync(fd, reply);
  } catch {
    // skiff-launch is gone.
  }
  socket.destroy();
}

async function take(socket: Socket, cli: WarmCli, loaded: string, pool: string): Promise<void> {
  const fd = (socket as unknown as { _handle: { fd: number } })._handle.fd;
  let req: Request;
  let peer: { pid: number; gid: number };
  try {
    const cred = peerCredentials(fd);
    if (cred.uid !== process.getuid?.()) throw new Error('not our user');
    peer = cred;
    req = readRequest(fd);
  } catch {
    socket.destroy();
    return;
  }
  // Stale: the bundle changed since this process loaded it ('S': skiff-launch tries the next).
  if (stamp(cli.files) !== loaded) return decline(socket, fd, req, 'S');
  const env = environment(req.env);
  try {
    process.chdir(req.cwd);
  } catch {
    // The directory is gone or closed to us: skiff-launch sees the connection close and starts
    // cold, which reports the problem.
    return decline(socket, fd, req, undefined);
  }
  // 'C': start cold. A background job must meet the terminal's job control (SIGTTIN when it
  // reads), and ssh must find a controlling terminal for its prompts: this process has none.
  if (req.background || await cli.needsTerminal(req.argv, env)) return decline(socket, fd, req, 'C');
  // A caller with other groups than ours (added to a group since the pool started, or under
  // newgrp/sg) would be refused or allowed what it is not: it starts cold with its own.
  if (peer.gid !== process.getgid?.() || groupsOf(peer.pid) !== groupsOf(process.pid)) return decline(socket, fd, req, 'C');
  // A caller in other namespaces or under another root (`ip netns exec`, `unshare`, a chroot)
  // sees other files, sockets and addresses than this process: it starts cold in its own.
  if (!sameWorld(peer.pid)) return decline(socket, fd, req, 'C');
  adopt(req, env, cli.script);
  // The exit code goes to skiff-launch first; then the pool refills (scheduleRefill).
  process.on('exit', (code) => {
    try {
      writeSync(fd, Buffer.from([0x58, code & 0xff]));
    } catch {
      // skiff-launch is gone.
    }
  });
  const refill = scheduleRefill(pool, cli.script, { ...process.env });
  try {
    writeSync(fd, 'K');
  } catch {
    process.exit(0); // skiff-launch left before the command was taken: it must not run.
  }
  const hangup = (): void => {
    refill();
    process.kill(process.pid, 'SIGHUP');
  };
  socket.on('end', hangup);
  socket.on('error', hangup);
  socket.resume();
  cli.run(req.argv);
}

export async function serve(cli: WarmCli): Promise<void> {
  const pool = process.env['SKIFF_CLI_POOL'];
  if (!pool) throw new Error('skiff: SKIFF_CLI_POOL is not set');
  delete process.env['SKIFF_CLI_ROLE'];
  await cli.preload();
  await rehearse(cli.main, join(pool, `r-${process.pid}.sock`));
  prepareFdPass();
  // What loading and rehearsing left behind is garbage: an idle process holds less without it
  // (pool.ts starts it with --expose-gc).
  (globalThis as { gc?: () => void }).gc?.();
  const loaded = stamp(cli.files);
  const path = join(pool, `w-${process.pid}.sock`);
  rmSync(path, { force: true });
  const server = createServer({ pauseOnConnect: true });
  let taken = false;
  const idle = setTimeout(() => server.close(), idleMilliseconds(process.env));
  server.on('error', () => process.exit(0));
  server.on('connection', (socket) => {
    if (taken) {
      socket.destroy();
      return;
    }
    taken = true;
    clearTimeout(idle);
    server.close();
    void take(socket, cli, loaded, pool);
  });
  server.listen(path, () => rmSync(join(pool, `p-${process.pid}`), { force: true }));
}
