/**
 * `skiff pull`: POST /images/create?fromImage=&tag= with the registry credentials from
 * config.json, showing docker's progress, then the digest/status summary and the full reference.
 * `pullImage` is shared with create/run's implicit pull.
 */
import type { Cli } from '../framework/cli.js';
import type { Command } from '../framework/command.js';
import { registryAuthHeader } from '../../client/index.js';
import { displayStream, type JSONMessage } from './progress.js';
import { registryOf, splitTag } from './reference.js';

/** Adds docker's default `:latest` when a reference has neither tag nor digest. */
export function withDefaultTag(ref: string): string {
  return ref.includes('@') || splitTag(ref)[1] !== '' ? ref : `${ref}:latest`;
}

export async function pullImage(cli: Cli, ref: string, out: NodeJS.WriteStream, opts: { platform?: string; quiet?: boolean; allTags?: boolean } = {}): Promise<void> {
  const full = opts.allTags ? ref : withDefaultTag(ref);
  const at = full.indexOf('@');
  const [repo, tag] = at >= 0 ? [full.slice(0, at), full.slice(at + 1)] : splitTag(full);
  const auth = registryAuthHeader(cli.config, registryOf(full));
  const stream = cli.client.jsonLines<JSONMessage>('POST', '/images/create', {
    query: { fromImage: repo, tag: tag || undefined, platform: opts.platform },
    headers: auth ? { 'X-Registry-Auth': auth } : {},
  });
  if (opts.quiet) {
    for await (const m of stream) if (m.error) await displayStream([m] as unknown as AsyncIterable<JSONMessage>, out);
    return;
  }
  await displayStream(stream, out);
}

const command: Command = {
  usage: '[OPTIONS] NAME[:TAG|@DIGEST]',
  short: 'Download an image from a registry',
  aliases: ['skiff image pull', 'skiff pull'],
  flags: [
    { long: 'all-tags', short: 'a', kind: 'bool', help: 'Download all tagged images in the repository' },
    { long: 'platform', kind: 'string', help: 'Set platform if server is multi-platform capable' },
    { long: 'quiet', short: 'q', kind: 'bool', help: 'Suppress verbose output' },
  ],
  args: { min: 1, max: 1 },
  async run(cli, o, args) {
    const ref = o.bool('all-tags') ? args[0]! : withDefaultTag(args[0]!);
    if (!o.bool('quiet') && !o.bool('all-tags') && splitTag(args[0]!)[1] === '' && !args[0]!.includes('@')) {
      cli.out('Using default tag: latest\n');
    }
    await pullImage(cli, ref, process.stdout, { platform: o.str('platform') || undefined, quiet: o.bool('quiet'), allTags: o.bool('all-tags') });
    const name = ref.includes('/') && ref.split('/')[0]!.includes('.') ? ref : `docker.io/${ref.includes('/') ? '' : 'library/'}${ref}`;
    cli.out(`${name}\n`);
  },
};
export default command;
