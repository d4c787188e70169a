/**
 * `skiff start`: starts containers and prints their names; with `-a` (and `-i`) it attaches
 * first, streams like `run` and exits with the container's status.
 */
import { StatusError, forEachTarget, type Command } from '../framework/command.js';
import { monitorTtySize, proxySignals, streamIO } from './attach-io.js';

const command: Command = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Start one or more stopped containers',
  aliases: ['skiff container start', 'skiff start'],
  flags: [
    { long: 'attach', short: 'a', kind: 'bool', help: 'Attach STDOUT/STDERR and forward signals' },
    { long: 'detach-keys', kind: 'string', help: 'Override the key sequence for detaching a container' },
    { long: 'interactive', short: 'i', kind: 'bool', help: "Attach container's STDIN" },
  ],
  args: { min: 1 },
  async run(cli, o, args) {
    if (!o.bool('attach') && !o.bool('interactive')) {
      return forEachTarget(cli, args, async (name) => {
        await cli.client.post(`/containers/${encodeURIComponent(name)}/start`);
      });
    }
    if (args.length > 1) throw new StatusError(1, 'you cannot start and attach multiple containers at once');
    const c = await cli.client.get(`/containers/${encodeURIComponent(args[0]!)}/json`);
    const tty = c.Config?.Tty === true;
    const stdin = o.bool('interactive') && c.Config?.OpenStdin === true;
    const conn = await cli.client.hijack('POST', `/containers/${c.Id}/attach`, {
      query: { stream: '1', stdin: stdin ? '1' : undefined, stdout: '1', stderr: '1', detachKeys: o.str('detach-keys') || cli.config.detachKeys },
    });
    const waited = cli.client.post<{ StatusCode: number }>(`/containers/${c.Id}/wait`, { condition: 'next-exit' });
    waited.catch(() => {});
    const io = streamIO(cli, conn, { tty, stdin });
    // -a forwards signals, as docker's start does (not to a tty container).
    const unproxy = tty ? () => {} : proxySignals(cli, c.Id);
    try {
      await cli.client.post(`/containers/${c.Id}/start`);
    } catch (e) {
      unproxy();
      conn.destroy();
      throw e;
    }
    const unresize = tty ? monitorTtySize(cli, `/containers/${c.Id}`) : () => {};
    try {
      await io;
      return (await waited).StatusCode;
    } finally {
      unresize();
      unproxy();
    }
  },
};
export default command;
