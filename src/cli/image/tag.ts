/** `skiff tag`: POST /images/{source}/tag?repo=&tag= (tag defaults to latest). */
import type { Command } from '../framework/command.js';
import { splitTag } from './reference.js';

const command: Command = {
  usage: 'SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]',
  short: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE',
  aliases: ['skiff image tag', 'skiff tag'],
  flags: [],
  args: { min: 2, max: 2 },
  async run(cli, _o, [source, target]) {
    const [repo, tag] = splitTag(target!);
    await cli.client.post(`/images/${encodeURIComponent(source!)}/tag`, { repo, tag: tag || 'latest' });
  },
};
export default command;
