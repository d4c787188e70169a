/** `skiff-runc ps <id> [ps options]`: the container's processes, as `ps` lines or a JSON pid list. */
import { execFileSync } from 'node:child_process';
import { invalidArgument } from '../../../common/errors.js';
import { str } from '../flags.js';
import type { Command } from '../command.js';

export const ps: Command = {
  name: 'ps',
  usage: 'ps [command options] <container-id> [ps options]',
  summary: 'ps displays the processes running inside a container',
  stopAtPositional: true,
  flags: [{ name: 'format', alias: 'f', kind: 'string' }],
  async run(args, f, ctx) {
    const id = args[0];
    if (!id) throw Object.assign(new Error('"ps" requires a minimum of 1 argument'), { usage: true });
    const rec = ctx.runtime.store.load(id);
    const pids = await ctx.runtime.store.cgroup(rec).pids();
    const format = str(f, 'format') ?? 'table';
    if (format === 'json') {
      ctx.out(JSON.stringify(pids) + '\n');
      return 0;
    }
    if (format !== 'table') throw invalidArgument(`invalid format option`);
    const psArgs = args.length > 1 ? args.slice(1) : ['-ef'];
    const out = execFileSync('ps', psArgs, { encoding: 'utf8' }).split('\n');
    const header = out[0] ?? '';
    const pidCol = header.trim().split(/\s+/).indexOf('PID');
    if (pidCol < 0) throw invalidArgument("couldn't find PID field in ps output");
    const keep = new Set(pids);
    ctx.out(header + '\n');
    for (const line of out.slice(1)) {
      const pid = Number(line.trim().split(/\s+/)[pidCol]);
      if (keep.has(pid)) ctx.out(line + '\n');
    }
    return 0;
  },
};
