/**
 * `skiff inspect`: low-level information on containers, images, volumes and networks. Without
 * `--type` each name is tried as a container, then an image, a volume, a network, as docker does.
 */
import { ApiError, readAll } from '../../client/index.js';
import type { Cli } from '../framework/cli.js';
import type { Command } from '../framework/command.js';
import { printInspect, type Fetched } from '../framework/inspect.js';
import { FORMAT_HELP } from '../framework/flags.js';

const PATHS: Record<string, (n: string) => string> = {
  container: (n) => `/containers/${n}/json`,
  image: (n) => `/images/${n}/json`,
  volume: (n) => `/volumes/${n}`,
  network: (n) => `/networks/${n}`,
};

const NOUN: Record<string, string> = { container: 'container', image: 'image', volume: 'volume', network: 'network' };

/** The object, or the daemon's 404 (callers word it: typed inspects print the daemon's text). */
export async function fetchRaw(cli: Cli, path: string, query?: Record<string, string | undefined>): Promise<Fetched | ApiError> {
  try {
    const raw = await readAll(await cli.client.request('GET', path, { query }));
    return { raw, value: JSON.parse(raw) };
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return e;
    throw e;
  }
}

/** Fetches each name's inspect document (404s collected as docker's errors) and prints them. */
export async function inspectEach(cli: Cli, format: string, names: string[], pathOf: (name: string) => string, query?: Record<string, string | undefined>): Promise<void> {
  const found: Fetched[] = [];
  const errors: string[] = [];
  for (const name of names) {
    const hit = await fetchRaw(cli, pathOf(encodeURIComponent(name)), query);
    if (hit instanceof ApiError) errors.push(cli.errorText(hit));
    else found.push(hit);
  }
  await printInspect(cli, format, found, errors);
}

const command: Command = {
  usage: '[OPTIONS] NAME|ID [NAME|ID...]',
  short: 'Return low-level information on Docker objects',
  flags: [
    { long: 'format', short: 'f', kind: 'string', help: FORMAT_HELP },
    { long: 'size', short: 's', kind: 'bool', help: 'Display total file sizes if the type is container' },
    { long: 'type', kind: 'string', help: 'Only inspect objects of the given type' },
  ],
  args: { min: 1 },
  async run(cli, o, args) {
    const type = o.str('type');
    if (type && !PATHS[type]) throw new Error(`"${type}" is not a valid value for --type`);
    const types = type ? [type] : Object.keys(PATHS);
    const found: Fetched[] = [];
    const errors: string[] = [];
    for (const name of args) {
      let hit: Fetched | undefined;
      for (const t of types) {
        const q = t === 'container' && o.bool('size') ? { size: '1' } : undefined;
        const r = await fetchRaw(cli, PATHS[t]!(encodeURIComponent(name)), q);
        if (r instanceof ApiError) continue;
        hit = r;
        break;
      }
      if (hit) found.push(hit);
      else errors.push(type ? `Error: No such ${NOUN[type]}: ${name}` : `Error: No such object: ${name}`);
    }
    await printInspect(cli, o.str('format'), found, errors);
  },
};
export default command;
