/**
 * `skiff system prune`: docker's confirmation listing what goes (and the label/until filters),
 * then the container, network, volume (--volumes), image and build-cache prunes in docker's
 * order, each section printed as it completes, and the total reclaimed space.
 */
import type { Cli } from '../framework/cli.js';
import { StatusError, type Command } from '../framework/command.js';
import { humanSize } from '../format/index.js';
import { confirm } from '../framework/prompt.js';
import { filtersJSON } from '../framework/util.js';

interface Section { space: number; output: string }

const section = (title: string, items: string[] | null | undefined): string => (items?.length ? `${title}:\n${items.join('\n')}\n` : '');

async function pruneAll(cli: Cli, all: boolean, volumes: boolean, filters: string[]): Promise<Section[]> {
  const f = filtersJSON(filters);
  const steps: (() => Promise<Section>)[] = [
    async () => {
      const r = await cli.client.post('/containers/prune', { filters: f });
      return { space: r?.ContainersDeleted?.length ? r.SpaceReclaimed ?? 0 : 0, output: section('Deleted Containers', r?.ContainersDeleted) };
    },
    async () => {
      const r = await cli.client.post('/networks/prune', { filters: f });
      return { space: 0, output: section('Deleted Networks', r?.NetworksDeleted) };
    },
  ];
  if (volumes) {
    steps.push(async () => {
      const r = await cli.client.post('/volumes/prune', { filters: f });
      return { space: r?.VolumesDeleted?.length ? r.SpaceReclaimed ?? 0 : 0, output: section('Deleted Volumes', r?.VolumesDeleted) };
    });
  }
  steps.push(async () => {
    const r = await cli.client.post('/images/prune', { filters: filtersJSON([...filters, `dangling=${!all}`]) });
    const items: { Untagged?: string; Deleted?: string }[] = r?.ImagesDeleted ?? [];
    const lines = items.map((i) => (i.Untagged ? `untagged: ${i.Untagged}` : `deleted: ${i.Deleted}`));
    return { space: items.length ? r.SpaceReclaimed ?? 0 : 0, output: section('Deleted Images', lines) };
  });
  steps.push(async () => {
    const r = await cli.client.post('/build/prune', { all: all ? '1' : undefined, filters: f });
    return { space: r?.SpaceReclaimed ?? 0, output: section('Deleted build cache objects', r?.CachesDeleted) };
  });
  const out: Section[] = [];
  for (const step of steps) {
    const s = await step();
    if (s.output) cli.out(`${s.output}\n`);
    out.push(s);
  }
  return out;
}

function confirmation(all: boolean, volumes: boolean, filters: string[]): string {
  const warnings = ['all stopped containers', 'all networks not used by at least one container'];
  if (volumes) warnings.push('all anonymous volumes not used by at least one container');
  warnings.push(all ? 'all images without at least one container associated to them' : 'all dangling images');
  warnings.push(all ? 'all build cache' : 'unused build cache');
  let msg = `WARNING! This will remove:\n${warnings.map((w) => `  - ${w}\n`).join('')}`;
  const shown = filters.filter((x) => /^(label|label!|until)=/.test(x)).sort();
  if (shown.length) msg += `\n  Items to be pruned will be filtered with:\n${shown.map((x) => `  - ${x}\n`).join('')}`;
  return `${msg}\nAre you sure you want to continue?`;
}

const command: Command = {
  usage: '[OPTIONS]',
  short: 'Remove unused data',
  flags: [
    { long: 'all', short: 'a', kind: 'bool', help: 'Remove all unused images not just dangling ones' },
    { long: 'filter', kind: 'list', help: 'Provide filter values (e.g. "label=<key>=<value>")', valueName: 'filter' },
    { long: 'force', short: 'f', kind: 'bool', help: 'Do not prompt for confirmation' },
    { long: 'volumes', kind: 'bool', help: 'Prune anonymous volumes' },
  ],
  args: { max: 0 },
  async run(cli, o) {
    const all = o.bool('all');
    const volumes = o.bool('volumes');
    const filters = o.list('filter');
    for (const x of filters) if (!x.includes('=')) throw new StatusError(125, `invalid argument "${x}" for "--filter" flag: bad format of filter (expected name=value)\n\nUsage:  skiff system prune [OPTIONS]\n\nRun 'skiff system prune --help' for more information`);
    if (volumes && filters.some((x) => x.split('=')[0]!.trim().toLowerCase() === 'until')) {
      throw new StatusError(1, 'ERROR: The "until" filter is not supported with "--volumes"');
    }
    if (!o.bool('force') && !(await confirm(cli, confirmation(all, volumes, filters)))) return 0;
    const sections = await pruneAll(cli, all, volumes, filters);
    cli.out(`Total reclaimed space: ${humanSize(sections.reduce((n, s) => n + s.space, 0))}\n`);
  },
};
export default command;
