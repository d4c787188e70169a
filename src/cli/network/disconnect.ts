/** `skiff network disconnect`: POST /networks/{net}/disconnect (`-f` forces). */
import type { Command } from '../framework/command.js';

const command: Command = {
  usage: '[OPTIONS] NETWORK CONTAINER',
  short: 'Disconnect a container from a network',
  flags: [{ long: 'force', short: 'f', kind: 'bool', help: 'Force the container to disconnect from a network' }],
  args: { min: 2, max: 2 },
  async run(cli, o, [net, container]) {
    await cli.client.post(`/networks/${encodeURIComponent(net!)}/disconnect`, undefined, { Container: container, Force: o.bool('force') });
  },
};
export default command;
