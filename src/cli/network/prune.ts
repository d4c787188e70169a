/** `skiff network prune`: POST /networks/prune after docker's prompt (`-f` skips it). */
import type { Command } from '../framework/command.js';
import { confirm } from '../framework/prompt.js';
import { filtersJSON } from '../framework/util.js';

const command: Command = {
  usage: '[OPTIONS]',
  short: 'Remove all unused networks',
  flags: [
    { long: 'filter', kind: 'list', help: 'Provide filter values (e.g. "until=<timestamp>")' },
    { long: 'force', short: 'f', kind: 'bool', help: 'Do not prompt for confirmation' },
  ],
  args: { max: 0 },
  async run(cli, o) {
    if (!o.bool('force') && !(await confirm(cli, 'WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue?'))) return 0;
    const r = await cli.client.post('/networks/prune', { filters: filtersJSON(o.list('filter')) });
    const gone: string[] = r.NetworksDeleted ?? [];
    if (gone.length) cli.out(`Deleted Networks:\n${gone.join('\n')}\n\n`);
  },
};
export default command;
