/** `skiff volume create`: POST /volumes/create with `-d`, `-o`, `--label`; prints the name. */
import type { Command } from '../framework/command.js';

const kv = (l: string[]): Record<string, string> => Object.fromEntries(l.map((e) => { const i = e.indexOf('='); return i < 0 ? [e, ''] : [e.slice(0, i), e.slice(i + 1)]; }));

const command: Command = {
  usage: '[OPTIONS] [VOLUME]',
  short: 'Create a volume',
  flags: [
    { long: 'driver', short: 'd', kind: 'string', help: 'Specify volume driver name', default: 'local' },
    { long: 'label', kind: 'list', help: 'Set metadata for a volume' },
    { long: 'name', kind: 'string', help: 'Specify volume name', hidden: true },
    { long: 'opt', short: 'o', kind: 'list', help: 'Set driver specific options' },
  ],
  args: { max: 1 },
  async run(cli, o, args) {
    if (args[0] && o.str('name') && args[0] !== o.str('name')) {
      throw new Error(`conflicting options: cannot specify a volume-name through both --name and as a positional arg`);
    }
    const v = await cli.client.post('/volumes/create', undefined, {
      Name: args[0] ?? o.str('name'), Driver: o.str('driver'), DriverOpts: kv(o.list('opt')), Labels: kv(o.list('label')),
    });
    cli.out(`${v.Name}\n`);
  },
};
export default command;
