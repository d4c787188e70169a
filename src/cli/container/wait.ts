/** `skiff wait`: blocks until each container stops, printing its exit code. */
import { forEachTarget, type Command } from '../framework/command.js';

const command: Command = {
  usage: 'CONTAINER [CONTAINER...]',
  short: 'Block until one or more containers stop, then print their exit codes',
  flags: [],
  args: { min: 1 },
  run: (cli, _o, args) => forEachTarget(cli, args, async (name) => {
    const r = await cli.client.post<{ StatusCode: number }>(`/containers/${encodeURIComponent(name)}/wait`);
    return String(r.StatusCode);
  }),
};
export default command;
