/** `skiff diff`: GET /containers/{id}/changes, one "<kind> <path>" line each (C, A or D), like docker's. */
import type { Command } from '../framework/command.js';

const KINDS = ['C', 'A', 'D'] as const;

const command: Command = {
  usage: 'CONTAINER',
  short: "Inspect changes to files or directories on a container's filesystem",
  aliases: ['skiff container diff', 'skiff diff'],
  flags: [],
  args: { min: 1, max: 1 },
  async run(cli, _o, args) {
    const changes = (await cli.client.get<{ Kind: number; Path: string }[] | null>(`/containers/${encodeURIComponent(args[0]!)}/changes`)) ?? [];
    cli.out(changes.map((c) => `${KINDS[c.Kind] ?? '?'} ${c.Path}\n`).join(''));
  },
};
export default command;
