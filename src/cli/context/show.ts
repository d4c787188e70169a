/** `skiff context show`: the name of the context in use. */
import type { Command } from '../framework/command.js';

const command: Command = {
  usage: '',
  short: 'Print the name of the current context',
  flags: [],
  args: { max: 0 },
  async run(cli) {
    cli.out(`${cli.endpoint.contextName}\n`);
  },
};
export default command;
