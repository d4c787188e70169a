/**
 * `skiff-runc exec <id> <command…>` or `--process process.json`: run another process in the
 * container. Like runc, the new process starts from the container's own process settings
 * (user, capabilities, env, rlimits) and the flags override them.
 */
import { readFileSync } from 'node:fs';
import type { Process } from '../../../oci/runtime-spec.js';
import { invalidArgument } from '../../../common/errors.js';
import { bool, int, list, str } from '../flags.js';
import type { Command } from '../command.js';

function parseUser(u: string): { uid: number; gid: number } {
  const [uid, gid] = u.split(':');
  const n = Number(uid);
  const g = gid === undefined ? 0 : Number(gid);
  if (!Number.isInteger(n) || !Number.isInteger(g)) throw invalidArgument(`invalid user ${u}: must be uid[:gid]`);
  return { uid: n, gid: g };
}

export const exec: Command = {
  name: 'exec',
  usage: 'exec [command options] <container-id> <command> [command options]  || -p process.json <container-id>',
  summary: 'execute new process inside the container',
  stopAtPositional: true,
  flags: [
    { name: 'console-socket', kind: 'string' },
    { name: 'cwd', kind: 'string' },
    { name: 'env', alias: 'e', kind: 'list' },
    { name: 'tty', alias: 't', kind: 'bool' },
    { name: 'user', alias: 'u', kind: 'string' },
    { name: 'additional-gids', alias: 'g', kind: 'list' },
    { name: 'process', alias: 'p', kind: 'string' },
    { name: 'detach', alias: 'd', kind: 'bool' },
    { name: 'pid-file', kind: 'string' },
    { name: 'process-label', kind: 'string' },
    { name: 'apparmor', kind: 'string' },
    { name: 'no-new-privs', kind: 'bool' },
    { name: 'cap', alias: 'c', kind: 'list' },
    { name: 'preserve-fds', kind: 'int' },
    { name: 'ignore-paused', kind: 'bool' },
  ],
  async run(args, f, ctx) {
    const id = args[0];
    if (!id) throw Object.assign(new Error('"exec" requires a minimum of 2 arguments'), { usage: true });
    const rec = ctx.runtime.store.load(id);
    const base: Process = structuredClone(rec.config.process!);
    let proc: Process;
    const file = str(f, 'process');
    if (file) {
      try {
        proc = JSON.parse(readFileSync(file, 'utf8')) as Process;
      } catch (e) {
        throw invalidArgument(`process.json: ${(e as Error).message}`);
      }
      if (!proc.args?.length) throw invalidArgument('process.json: args must not be empty');
    } else {
      if (args.length < 2) throw Object.assign(new Error('"exec" requires a minimum of 2 arguments'), { usage: true });
      proc = { ...base, args: args.slice(1), terminal: bool(f, 'tty') };
      proc.env = [...(base.env ?? []), ...list(f, 'env')];
      const cwd = str(f, 'cwd');
      if (cwd) proc.cwd = cwd;
      const user = str(f, 'user');
      if (user) proc.user = { ...base.user, ...parseUser(user) };
      const gids = list(f, 'additional-gids').map(Number);
      if (gids.length) proc.user = { ...proc.user, additionalGids: gids };
      if (bool(f, 'no-new-privs')) proc.noNewPrivileges = true;
      const caps = list(f, 'cap');
      if (caps.length) {
        const c = proc.capabilities ?? {};
        const add = (s: string[] | undefined) => [...new Set([...(s ?? []), ...caps])];
        proc.capabilities = { ...c, bounding: add(c.bounding), effective: add(c.effective), permitted: add(c.permitted) };
      }
    }
    const status = await ctx.runtime.exec(id, proc, {
      detach: bool(f, 'detach'), consoleSocket: str(f, 'console-socket'), pidFile: str(f, 'pid-file'),
      preserveFds: int(f, 'preserve-fds'),
    });
    return status ?? 0;
  },
};
