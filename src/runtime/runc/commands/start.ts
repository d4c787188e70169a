/** `skiff-runc start <id>`: let a created container's process exec. */
import { needArgs, type Command } from '../command.js';

export const start: Command = {
  name: 'start',
  usage: 'start <container-id>',
  summary: 'executes the user defined process in a created container',
  flags: [],
  async run(args, _f, ctx) {
    needArgs(this, args, 1);
    await ctx.runtime.start(args[0]!);
    return 0;
  },
};
