/** `skiff network inspect`: GET /networks/{name} per name (`-v` verbose), docker's output and errors. */
import { ApiError } from '../../client/index.js';
import type { Command } from '../framework/command.js';
import { printInspect, type Fetched } from '../framework/inspect.js';
import { fetchRaw } from '../system/inspect.js';

const command: Command = {
  usage: '[OPTIONS] NETWORK [NETWORK...]',
  short: 'Display detailed information on one or more networks',
  flags: [
    { long: 'format', short: 'f', kind: 'string', help: 'Format output using a custom template' },
    { long: 'verbose', short: 'v', kind: 'bool', help: 'Verbose output for diagnostics' },
  ],
  args: { min: 1 },
  async run(cli, o, args) {
    const found: Fetched[] = [];
    const errors: string[] = [];
    for (const name of args) {
      const hit = await fetchRaw(cli, `/networks/${encodeURIComponent(name)}`, o.bool('verbose') ? { verbose: 'true' } : undefined);
      if (hit instanceof ApiError) errors.push(cli.errorText(hit));
      else found.push(hit);
    }
    await printInspect(cli, o.str('format'), found, errors);
  },
};
export default command;
