/** `skiff volume rm`: DELETE /volumes/{name} with `-f`, per name. */
import { forEachTarget, type Command } from '../framework/command.js';

const command: Command = {
  usage: '[OPTIONS] VOLUME [VOLUME...]',
  short: 'Remove one or more volumes',
  flags: [{ long: 'force', short: 'f', kind: 'bool', help: 'Force the removal of one or more volumes' }],
  args: { min: 1 },
  run: (cli, o, args) => forEachTarget(cli, args, async (name) => {
    (await cli.client.request('DELETE', `/volumes/${encodeURIComponent(name)}`, { query: { force: o.bool('force') || undefined } })).resume();
  }),
};
export default command;
