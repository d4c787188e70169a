/** `skiff import`: POST /images/create?fromSrc= with a tarball (file, `-` for stdin, or URL); prints the image id. */
import { createReadStream } from 'node:fs';
import type { Command } from '../framework/command.js';
import { splitTag } from './reference.js';

const command: Command = {
  usage: '[OPTIONS] file|URL|- [REPOSITORY[:TAG]]',
  short: 'Import the contents from a tarball to create a filesystem image',
  aliases: ['skiff image import', 'skiff import'],
  flags: [
    { long: 'change', short: 'c', kind: 'list', help: 'Apply Dockerfile instruction to the created image' },
    { long: 'message', short: 'm', kind: 'string', help: 'Set commit message for imported image' },
    { long: 'platform', kind: 'string', help: 'Set platform if server is multi-platform capable' },
  ],
  args: { min: 1, max: 2 },
  async run(cli, o, [src, ref]) {
    const url = /^https?:\/\//.test(src!);
    const [repo, tag] = ref ? splitTag(ref) : ['', ''];
    const body = url ? undefined : src === '-' ? process.stdin : createReadStream(src!);
    const stream = cli.client.jsonLines('POST', '/images/create', {
      query: { fromSrc: url ? src : '-', repo: repo || undefined, tag: tag || undefined, message: o.str('message') || undefined,
        changes: o.list('change'), platform: o.str('platform') || undefined },
      body, headers: body ? { 'Content-Type': 'application/x-tar' } : {},
    });
    for await (const m of stream) {
      if (m.error || m.errorDetail) throw new Error(m.errorDetail?.message ?? m.error);
      if (m.status) cli.out(`${m.status}\n`);
    }
  },
};
export default command;
