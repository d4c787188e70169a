/** `skiff save`: GET /images/get?names=… streamed to `-o FILE` or stdout (never to a terminal). */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { StatusError, type Command } from '../framework/command.js';

const command: Command = {
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  short: 'Save one or more images to a tar archive (streamed to STDOUT by default)',
  aliases: ['skiff image save', 'skiff save'],
  flags: [
    { long: 'output', short: 'o', kind: 'string', help: 'Write to a file, instead of STDOUT' },
    { long: 'platform', kind: 'list', help: 'Save only the given platform(s)' },
  ],
  args: { min: 1 },
  async run(cli, o, args) {
    const file = o.str('output');
    if (!file && process.stdout.isTTY) throw new StatusError(1, 'cowardly refusing to save to a terminal. Use the -o flag or redirect');
    const res = await cli.client.request('GET', '/images/get', { query: { names: args, platform: o.list('platform').length ? o.list('platform') : undefined } });
    await pipeline(res, file ? createWriteStream(file) : process.stdout);
  },
};
export default command;
