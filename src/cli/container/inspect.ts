/** `skiff container inspect`: GET /containers/{id}/json per name, docker's output and errors. */
import { ApiError } from '../../client/index.js';
import type { Command } from '../framework/command.js';
import { printInspect, type Fetched } from '../framework/inspect.js';
import { fetchRaw } from '../system/inspect.js';

const command: Command = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Display detailed information on one or more containers',
  flags: [
    { long: 'format', short: 'f', kind: 'string', help: 'Format output using a custom template' },
    { long: 'size', short: 's', kind: 'bool', help: 'Display total file sizes' },
  ],
  args: { min: 1 },
  async run(cli, o, args) {
    const found: Fetched[] = [];
    const errors: string[] = [];
    for (const name of args) {
      const hit = await fetchRaw(cli, `/containers/${encodeURIComponent(name)}/json`, o.bool('size') ? { size: '1' } : undefined);
      if (hit instanceof ApiError) errors.push(cli.errorText(hit));
      else found.push(hit);
    }
    await printInspect(cli, o.str('format'), found, errors);
  },
};
export default command;
