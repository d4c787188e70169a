/** `skiff context rm`: removes stored contexts; the one in use only with `-f` (then resets to default). */
import { ContextStore, DEFAULT_CONTEXT, saveConfig } from '../../client/index.js';
import { StatusError, type Command } from '../framework/command.js';

const command: Command = {
  usage: 'CONTEXT [CONTEXT...]',
  short: 'Remove one or more contexts',
  aliases: ['skiff context rm', 'skiff context remove'],
  flags: [{ long: 'force', short: 'f', kind: 'bool', help: 'Force the removal of a context in use' }],
  args: { min: 1 },
  async run(cli, o, args) {
    const store = new ContextStore(cli.configDir);
    const errors: string[] = [];
    for (const name of args) {
      try {
        if (name === DEFAULT_CONTEXT) throw new Error(`default: context "default" cannot be removed`);
        const current = cli.config.currentContext === name;
        if (current && !o.bool('force')) throw new Error(`${name}: context is in use, set -f flag to force remove`);
        store.remove(name);
        if (current) {
          const cfg = { ...cli.config };
          delete cfg.currentContext;
          saveConfig(cli.configDir, cfg);
        }
        cli.out(`${name}\n`);
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
    if (errors.length) throw new StatusError(1, errors.join('\n'));
  },
};
export default command;
