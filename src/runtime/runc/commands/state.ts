/** `skiff-runc state <id>`: the container's state as JSON, in runc's shape. */
import { needArgs, type Command } from '../command.js';

export const state: Command = {
  name: 'state',
  usage: 'state <container-id>',
  summary: 'output the state of a container',
  flags: [],
  async run(args, _f, ctx) {
    needArgs(this, args, 1);
    ctx.out(JSON.stringify(await ctx.runtime.state(args[0]!), null, '  ') + '\n');
    return 0;
  },
};
