/** `skiff-runc pause|resume <id>`: freeze and thaw every process of the container. */
import { needArgs, type Command } from '../command.js';

export const pause: Command = {
  name: 'pause',
  usage: 'pause <container-id>',
  summary: 'pause suspends all processes inside the container',
  flags: [],
  async run(args, _f, ctx) {
    needArgs(this, args, 1);
    await ctx.runtime.pause(args[0]!);
    return 0;
  },
};

export const resume: Command = {
  name: 'resume',
  usage: 'resume <container-id>',
  summary: 'resumes all processes that have been previously paused',
  flags: [],
  async run(args, _f, ctx) {
    needArgs(this, args, 1);
    await ctx.runtime.resume(args[0]!);
    return 0;
  },
};
