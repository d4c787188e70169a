/** `skiff volume inspect`: GET /volumes/{name} per name, docker's output and errors. */
import type { Command } from '../framework/command.js';
import { inspectEach } from '../system/inspect.js';
import { FORMAT_HELP } from '../framework/flags.js';

const command: Command = {
  usage: '[OPTIONS] VOLUME [VOLUME...]',
  short: 'Display detailed information on one or more volumes',
  flags: [{ long: 'format', short: 'f', kind: 'string', help: FORMAT_HELP }],
  args: { min: 1 },
  async run(cli, o, args) {
    await inspectEach(cli, o.str('format'), args, (n) => `/volumes/${n}`);
  },
};
export default command;
