/** `skiff context use`: writes `currentContext` to config.json (`default` removes it). */
import { ContextStore, DEFAULT_CONTEXT, saveConfig } from '../../client/index.js';
import type { Command } from '../framework/command.js';

const command: Command = {
  usage: 'CONTEXT',
  short: 'Set the current docker context',
  flags: [],
  args: { min: 1, max: 1 },
  async run(cli, _o, [name]) {
    if (name !== DEFAULT_CONTEXT) new ContextStore(cli.configDir).get(name!);
    const cfg = { ...cli.config };
    if (name === DEFAULT_CONTEXT) delete cfg.currentContext;
    else cfg.currentContext = name;
    saveConfig(cli.configDir, cfg);
    cli.out(`${name}\n`);
    if (cli.env['DOCKER_HOST']) cli.err(`Warning: DOCKER_HOST environment variable overrides the active context. To use "${name}", either set the global --context flag, or unset DOCKER_HOST environment variable.\n`);
  },
};
export default command;
