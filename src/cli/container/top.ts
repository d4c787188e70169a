/** `skiff top`: GET /containers/{id}/top?ps_args=…, printed as a table like docker's. */
import { TabWriter } from '../format/index.js';
import type { Command } from '../framework/command.js';

const command: Command = {
  usage: 'CONTAINER [ps OPTIONS]',
  short: 'Display the running processes of a container',
  flags: [],
  args: { min: 1 },
  interspersed: false,
  async run(cli, _o, [name, ...psArgs]) {
    const r = await cli.client.get<{ Titles: string[]; Processes: string[][] }>(`/containers/${encodeURIComponent(name!)}/top`, {
      ps_args: psArgs.length ? psArgs.join(' ') : undefined,
    });
    const tw = new TabWriter(20, 1, 3, ' ', 0);
    tw.write(r.Titles.join('\t') + '\n');
    for (const p of r.Processes ?? []) tw.write(p.join('\t') + '\n');
    cli.out(tw.flush());
  },
};
export default command;
