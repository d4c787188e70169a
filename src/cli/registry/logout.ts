/** `skiff logout`: removes the registry's entry from config.json `auths`. */
import { registryKey, saveConfig } from '../../client/index.js';
import type { Command } from '../framework/command.js';

const command: Command = {
  usage: '[SERVER]',
  short: 'Log out from a registry',
  flags: [],
  args: { max: 1 },
  async run(cli, _o, [server]) {
    const key = registryKey(server);
    if (!cli.config.auths?.[key]) {
      cli.out(`Not logged in to ${server ?? 'Docker Hub'}\n`);
      return;
    }
    cli.out(`Removing login credentials for ${key}\n`);
    const auths = { ...cli.config.auths };
    delete auths[key];
    saveConfig(cli.configDir, { ...cli.config, auths });
  },
};
export default command;
