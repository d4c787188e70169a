/**
 * `skiff context import CONTEXT FILE|-`: stores a context archive (docker's or ours) under a new
 * name. The name is checked and the archive read in full before anything is written.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { ContextStore } from '../../client/index.js';
import type { Command } from '../framework/command.js';
import { storeContext, unpackContext, validateName } from './archive.js';

const command: Command = {
  usage: 'CONTEXT FILE|-',
  short: 'Import a context from a tar or zip file',
  flags: [],
  args: { min: 2, max: 2 },
  async run(cli, _o, [name, source]) {
    validateName(name!);
    const store = new ContextStore(cli.configDir);
    if (store.exists(name!)) throw new Error(`context "${name}" already exists`);
    let input: Readable = process.stdin;
    if (source !== '-') {
      input = createReadStream(source!);
      await new Promise<void>((resolve, reject) => {
        input.once('open', () => resolve());
        input.once('error', (e: NodeJS.ErrnoException) =>
          reject(new Error(`open ${source}: ${e.code === 'ENOENT' ? 'no such file or directory' : e.code === 'EISDIR' ? 'is a directory' : e.message}`)));
      });
    }
    storeContext(store, await unpackContext(name!, input));
    cli.out(`${name}\n`);
    cli.err(`Successfully imported context "${name}"\n`);
  },
};
export default command;
