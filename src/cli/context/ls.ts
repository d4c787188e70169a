/**
 * `skiff context ls`: the synthesised `default` context plus the stored ones, the current one
 * marked with `*`, in docker's NAME DESCRIPTION DOCKER ENDPOINT ERROR table.
 */
import { ContextStore, DEFAULT_CONTEXT, DEFAULT_HOST } from '../../client/index.js';
import { formatItems } from '../format/index.js';
import type { Command } from '../framework/command.js';
import { TABLE_FORMAT_HELP } from '../framework/flags.js';

const COLUMNS = { Name: 'NAME', Description: 'DESCRIPTION', DockerEndpoint: 'DOCKER ENDPOINT', Error: 'ERROR', Current: 'CURRENT' };

const command: Command = {
  usage: '[OPTIONS]',
  short: 'List contexts',
  aliases: ['skiff context ls', 'skiff context list'],
  flags: [
    { long: 'format', kind: 'string', help: TABLE_FORMAT_HELP },
    { long: 'quiet', short: 'q', kind: 'bool', help: 'Only show context names' },
  ],
  args: { max: 0 },
  async run(cli, o) {
    const current = cli.endpoint.contextName;
    const defaultHost = cli.globals.host[0] ?? cli.env['DOCKER_HOST'] ?? DEFAULT_HOST;
    const rows = [
      { Name: DEFAULT_CONTEXT, Description: 'Current DOCKER_HOST based configuration', DockerEndpoint: defaultHost, Error: '' },
      ...new ContextStore(cli.configDir).list().map((c) => ({
        Name: c.Name, Description: c.Metadata?.Description ?? '', DockerEndpoint: c.Endpoints?.docker?.Host ?? '', Error: '',
      })),
    ].map((r) => ({ ...r, Current: r.Name === current }));
    const format = o.str('format');
    const table = (!format || format.startsWith('table')) && !o.bool('quiet');
    const shown = table ? rows.map((r) => ({ ...r, Name: r.Current ? `${r.Name} *` : r.Name })) : rows;
    cli.out(formatItems(format, shown, COLUMNS, {
      defaultFormat: 'table {{.Name}}\t{{.Description}}\t{{.DockerEndpoint}}\t{{.Error}}', quiet: o.bool('quiet'), quietFormat: '{{.Name}}',
    }));
    // After the list, as docker prints it.
    if (cli.env['DOCKER_HOST'] && !cli.globals.context) {
      cli.err('Warning: DOCKER_HOST environment variable overrides the active context. To use a context, either set the global --context flag, or unset DOCKER_HOST environment variable.\n');
    }
  },
};
export default command;
