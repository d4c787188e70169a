/** `skiff push`: POST /images/{name}/push with credentials from config.json, docker's progress. */
import { registryAuthHeader } from '../../client/index.js';
import type { Command } from '../framework/command.js';
import { displayStream, type JSONMessage } from './progress.js';
import { registryOf, splitTag } from './reference.js';

const command: Command = {
  usage: '[OPTIONS] NAME[:TAG]',
  short: 'Upload an image to a registry',
  aliases: ['skiff image push', 'skiff push'],
  flags: [
    { long: 'all-tags', short: 'a', kind: 'bool', help: 'Push all tags of an image to the repository' },
    { long: 'platform', kind: 'string', help: 'Push a platform-specific manifest as a single-platform image' },
    { long: 'quiet', short: 'q', kind: 'bool', help: 'Suppress verbose output' },
  ],
  args: { min: 1, max: 1 },
  async run(cli, o, [ref]) {
    const [repo, tag] = splitTag(ref!);
    if (!tag && !o.bool('all-tags')) cli.out('Using default tag: latest\n');
    // The daemon requires the header even for anonymous pushes: docker sends an empty auth then.
    const auth = registryAuthHeader(cli.config, registryOf(ref!)) ?? Buffer.from('{}').toString('base64url');
    const stream = cli.client.jsonLines<JSONMessage>('POST', `/images/${encodeURIComponent(repo)}/push`, {
      query: { tag: o.bool('all-tags') ? undefined : tag || 'latest', platform: o.str('platform') || undefined },
      headers: { 'X-Registry-Auth': auth },
    });
    if (o.bool('quiet')) {
      for await (const m of stream) if (m.error) throw new Error(m.errorDetail?.message ?? m.error);
      cli.out(`${ref}\n`);
      return;
    }
    await displayStream(stream, process.stdout);
  },
};
export default command;
