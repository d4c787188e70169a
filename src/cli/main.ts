/**
 * skiff: the docker-compatible CLI. This entry point parses the global options and dispatches
 * to the command files under src/cli/<group>/; commands land with the client issue.
 */
import { SKIFF_VERSION } from '../common/version.js';

const HELP = `
Usage:  skiff [OPTIONS] COMMAND

A self-sufficient runtime for containers

Options:
  -v, --version            Print version information and quit
  -h, --help               Print usage

Run 'skiff COMMAND --help' for more information on a command.
`;

export async function main(argv: string[]): Promise<number> {
  const [first] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(HELP.slice(1));
    return 0;
  }
  if (first === '--version' || first === '-v') {
    process.stdout.write(`Skiff version ${SKIFF_VERSION}\n`);
    return 0;
  }
  process.stderr.write(`skiff: '${first}' is not a skiff command.\nSee 'skiff --help'\n`);
  return 1;
}
