/** `skiff-runc create <id>`: set up the container; its process waits for `start`. */
import { int, str } from '../flags.js';
import { needArgs, type Command } from '../command.js';

export const create: Command = {
  name: 'create',
  usage: 'create [command options] <container-id>',
  summary: 'create a container',
  flags: [
    { name: 'bundle', alias: 'b', kind: 'string' },
    { name: 'console-socket', kind: 'string' },
    { name: 'pid-file', kind: 'string' },
    { name: 'preserve-fds', kind: 'int' },
    { name: 'no-pivot', kind: 'bool' },
    { name: 'no-new-keyring', kind: 'bool' },
  ],
  async run(args, f, ctx) {
    needArgs(this, args, 1);
    await ctx.runtime.create({
      id: args[0]!, bundle: str(f, 'bundle') ?? process.cwd(), consoleSocket: str(f, 'console-socket'),
      pidFile: str(f, 'pid-file'), preserveFds: int(f, 'preserve-fds'),
    });
    return 0;
  },
};
