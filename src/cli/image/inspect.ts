/** `skiff image inspect`: GET /images/{id}/json per name, docker's output and errors. */
import type { Command } from '../framework/command.js';
import { inspectEach } from '../system/inspect.js';
import { FORMAT_HELP } from '../framework/flags.js';

const command: Command = {
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  short: 'Display detailed information on one or more images',
  flags: [
    { long: 'format', short: 'f', kind: 'string', help: FORMAT_HELP },
  ],
  args: { min: 1 },
  async run(cli, o, args) {
    await inspectEach(cli, o.str('format'), args, (n) => `/images/${n}/json`);
  },
};
export default command;
