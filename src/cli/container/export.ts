/**
 * `skiff export`: GET /containers/{id}/export streamed to stdout (never to a terminal) or to
 * `-o FILE`, written through a temp file in the same directory and renamed only once complete.
 */
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { StatusError, type Command } from '../framework/command.js';
import { pipeToStdout, tempPathBeside, validateAtomicDestination } from './local-fs.js';

const command: Command = {
  usage: '[OPTIONS] CONTAINER',
  short: "Export a container's filesystem as a tar archive",
  aliases: ['skiff container export', 'skiff export'],
  flags: [{ long: 'output', short: 'o', kind: 'string', help: 'Write to a file, instead of STDOUT' }],
  args: { min: 1, max: 1 },
  async run(cli, o, args) {
    const file = o.str('output');
    if (!file && process.stdout.isTTY) throw new StatusError(1, 'cowardly refusing to save to a terminal. Use the -o flag or redirect');
    if (file) {
      try {
        validateAtomicDestination(file);
      } catch (e) {
        throw new StatusError(1, `failed to export container: ${(e as Error).message}`);
      }
    }
    const res = await cli.client.request('GET', `/containers/${encodeURIComponent(args[0]!)}/export`);
    if (!file) {
      await pipeToStdout(res);
      return;
    }
    const tmp = tempPathBeside(file);
    try {
      await pipeline(res, createWriteStream(tmp, { mode: 0o600 }));
      renameSync(tmp, file);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
  },
};
export default command;
