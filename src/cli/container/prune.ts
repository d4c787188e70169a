/** `skiff container prune`: POST /containers/prune after docker's confirmation prompt (`-f` skips it). */
import type { Command } from '../framework/command.js';
import { humanSize } from '../format/index.js';
import { confirm } from '../framework/prompt.js';
import { filtersJSON } from '../framework/util.js';

const command: Command = {
  usage: '[OPTIONS]',
  short: 'Remove all stopped containers',
  flags: [
    { long: 'filter', kind: 'list', help: 'Provide filter values (e.g. "until=<timestamp>")' },
    { long: 'force', short: 'f', kind: 'bool', help: 'Do not prompt for confirmation' },
  ],
  args: { max: 0 },
  async run(cli, o) {
    if (!o.bool('force') && !(await confirm(cli, 'WARNING! This will remove all stopped containers.\nAre you sure you want to continue?'))) {
      return 0;
    }
    const r = await cli.client.post('/containers/prune', { filters: filtersJSON(o.list('filter')) });
    const gone: string[] = r.ContainersDeleted ?? [];
    if (gone.length) cli.out(`Deleted Containers:\n${gone.join('\n')}\n\n`);
    cli.out(`Total reclaimed space: ${humanSize(r.SpaceReclaimed ?? 0)}\n`);
  },
};
export default command;
