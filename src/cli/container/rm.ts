/** `skiff rm`: DELETE /containers/{id} with `-f`, `-v`, `-l`, per target. */
import { forEachTarget, type Command } from '../framework/command.js';

const command: Command = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Remove one or more containers',
  aliases: ['skiff container rm', 'skiff container remove', 'skiff rm'],
  flags: [
    { long: 'force', short: 'f', kind: 'bool', help: 'Force the removal of a running container (uses SIGKILL)' },
    { long: 'link', short: 'l', kind: 'bool', help: 'Remove the specified link' },
    { long: 'volumes', short: 'v', kind: 'bool', help: 'Remove anonymous volumes associated with the container' },
  ],
  args: { min: 1 },
  run: (cli, o, args) => forEachTarget(cli, args, async (name) => {
    const res = await cli.client.request('DELETE', `/containers/${encodeURIComponent(name.replace(/^\//, ''))}`, {
      query: { force: o.bool('force') || undefined, v: o.bool('volumes') || undefined, link: o.bool('link') || undefined },
    });
    res.resume();
  }),
};
export default command;
