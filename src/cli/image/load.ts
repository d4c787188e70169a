/** `skiff load`: POST /images/load with a tar from `-i FILE` or stdin; prints "Loaded image: …". */
import { createReadStream } from 'node:fs';
import { StatusError, type Command } from '../framework/command.js';
import { displayStream, type JSONMessage } from './progress.js';

const command: Command = {
  usage: '[OPTIONS]',
  short: 'Load an image from a tar archive or STDIN',
  aliases: ['skiff image load', 'skiff load'],
  flags: [
    { long: 'input', short: 'i', kind: 'string', help: 'Read from tar archive file, instead of STDIN' },
    { long: 'quiet', short: 'q', kind: 'bool', help: 'Suppress the load output' },
  ],
  args: { max: 0 },
  async run(cli, o) {
    const file = o.str('input');
    if (!file && process.stdin.isTTY) throw new StatusError(1, 'requested load from stdin, but stdin is empty');
    const body = file ? createReadStream(file) : process.stdin;
    const stream = cli.client.jsonLines<JSONMessage>('POST', '/images/load', {
      query: { quiet: o.bool('quiet') || !process.stdout.isTTY ? '1' : '0' }, body, headers: { 'Content-Type': 'application/x-tar' },
    });
    await displayStream(stream, process.stdout);
  },
};
export default command;
