/**
 * `skiff create`: builds the create body from docker's container flags, pulls the image when it
 * is missing (or with --pull always), creates the container and prints its id. `run` reuses
 * createContainer. Failures print `skiff: <error>` plus the help hint and exit 125 (or 126/127
 * when the daemon says the command cannot be run), as docker's run/create do.
 */
import { writeFileSync, existsSync } from 'node:fs';
import { ApiError } from '../../client/index.js';
import type { Cli } from '../framework/cli.js';
import { StatusError, type Command } from '../framework/command.js';
import type { FlagValues } from '../framework/flags.js';
import { pullImage, withDefaultTag } from '../image/pull.js';
import { buildCreate, CREATE_FLAGS } from './create-opts.js';

/** docker's runStartContainerErr: the status for a failed create/start, from the daemon's answer. */
export function startErrorStatus(message: string): number {
  if (/executable file not found|no such file or directory|system cannot find the file specified/.test(message)) return 127;
  if (/permission denied|is a directory/.test(message)) return 126;
  return 125;
}

/** The error as run/create print it, with the status docker would exit with. */
export function runError(cli: Cli, verb: string, e: unknown): StatusError {
  if (e instanceof StatusError) return e;
  const text = cli.errorText(e);
  return new StatusError(startErrorStatus(text), `skiff: ${text}\n\nRun 'skiff ${verb} --help' for more information`);
}

export async function createContainer(cli: Cli, o: FlagValues, args: string[], verb: 'run' | 'create', attachDefault: boolean): Promise<string> {
  const [image, ...cmd] = args as [string, ...string[]];
  let req;
  try {
    req = buildCreate(o, image, cmd, attachDefault);
  } catch (e) {
    throw new StatusError(125, `skiff: ${(e as Error).message}\n\nRun 'skiff ${verb} --help' for more information`);
  }
  const cidfile = o.str('cidfile');
  if (cidfile && existsSync(cidfile)) throw new Error(`container ID file found, make sure the other container isn't running or delete ${cidfile}`);
  const pull = o.str('pull');
  if (!['always', 'missing', 'never'].includes(pull)) throw new Error(`invalid pull option: '${pull}': must be one of "always", "missing" or "never"`);
  const pullOut = o.bool('quiet') ? undefined : process.stderr;
  const doPull = (): Promise<void> => pullImage(cli, image, pullOut ?? process.stderr, { platform: req.platform, quiet: o.bool('quiet') });
  if (pull === 'always') await doPull();
  const create = (): Promise<any> => cli.client.post('/containers/create', { name: req.name, platform: req.platform }, req.body);
  let res: any;
  try {
    res = await create();
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 404 || !/No such image/i.test(e.message) || pull !== 'missing') throw e;
    cli.err(`Unable to find image '${withDefaultTag(image)}' locally\n`);
    await doPull();
    res = await create();
  }
  for (const w of (res.Warnings ?? []) as string[]) cli.err(`WARNING: ${w}\n`);
  if (cidfile) writeFileSync(cidfile, res.Id);
  return res.Id as string;
}

const command: Command = {
  usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  short: 'Create a new container',
  aliases: ['skiff container create', 'skiff create'],
  flags: CREATE_FLAGS,
  args: { min: 1 },
  interspersed: false,
  async run(cli, o, args) {
    // Unlike run, docker's create reports daemon errors plainly with status 1.
    cli.out(`${await createContainer(cli, o, args, 'create', true)}\n`);
  },
};
export default command;
