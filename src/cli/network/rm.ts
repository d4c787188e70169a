/** `skiff network rm`: DELETE /networks/{name} per name; `-f` ignores missing ones. */
import { ApiError } from '../../client/index.js';
import { StatusError, type Command } from '../framework/command.js';

const command: Command = {
  usage: 'NETWORK [NETWORK...]',
  short: 'Remove one or more networks',
  aliases: ['skiff network rm', 'skiff network remove'],
  flags: [{ long: 'force', short: 'f', kind: 'bool', help: 'Do not error if the network does not exist' }],
  args: { min: 1 },
  async run(cli, o, args) {
    const errors: string[] = [];
    for (const name of args) {
      try {
        (await cli.client.request('DELETE', `/networks/${encodeURIComponent(name)}`)).resume();
        cli.out(`${name}\n`);
      } catch (e) {
        if (o.bool('force') && e instanceof ApiError && e.status === 404) continue;
        errors.push(cli.errorText(e));
        cli.err(`${cli.errorText(e)}\n`);
      }
    }
    // docker reports each failure as it happens, then a generic status line.
    if (errors.length) throw new StatusError(1, 'exit status 1');
  },
};
export default command;
