/** `skiff-runc delete <id>`: remove a stopped (or, with --force, any) container. */
import { bool } from '../flags.js';
import { needArgs, type Command } from '../command.js';

export const del: Command = {
  name: 'delete',
  usage: 'delete [command options] <container-id>',
  summary: 'delete any resources held by the container often used with detached container',
  flags: [{ name: 'force', alias: 'f', kind: 'bool' }],
  async run(args, f, ctx) {
    needArgs(this, args, 1);
    const force = bool(f, 'force');
    if (force && !ctx.runtime.store.exists(args[0]!)) return 0;
    await ctx.runtime.delete(args[0]!, force);
    return 0;
  },
};
