/** `skiff stop`: POST /containers/{id}/stop with `-t/--timeout` and `-s/--signal`, per target. */
import { forEachTarget, type Command } from '../framework/command.js';

/** stop and restart: the same flags, one POST per target. */
export function stopCommand(verb: 'stop' | 'restart', short: string): Command {
  return {
    usage: '[OPTIONS] CONTAINER [CONTAINER...]',
    short,
    aliases: [`skiff container ${verb}`, `skiff ${verb}`],
    flags: [
      { long: 'signal', short: 's', kind: 'string', help: 'Signal to send to the container' },
      { long: 'timeout', short: 't', kind: 'int', help: 'Seconds to wait before killing the container' },
    ],
    args: { min: 1 },
    run: (cli, o, args) => forEachTarget(cli, args, async (name) => {
      await cli.client.post(`/containers/${encodeURIComponent(name)}/${verb}`, {
        t: o.has('timeout') ? o.int('timeout') : undefined, signal: o.str('signal') || undefined,
      });
    }),
  };
}

export default stopCommand('stop', 'Stop one or more running containers');
