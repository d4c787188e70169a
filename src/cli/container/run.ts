/**
 * `skiff run`: create (pulling if needed), attach before start so no output is lost, wait for
 * the next exit (or removal with --rm), start, stream, and exit with the container's status.
 * `-d` prints the id instead. Start failures exit 125/126/127 like docker's.
 */
import type { Cli } from '../framework/cli.js';
import { StatusError, type Command } from '../framework/command.js';
import type { FlagDef } from '../framework/flags.js';
import { monitorTtySize, proxySignals, streamIO } from './attach-io.js';
import { createContainer, runError } from './create.js';
import { CREATE_FLAGS } from './create-opts.js';

const RUN_FLAGS: FlagDef[] = [
  ...CREATE_FLAGS,
  { long: 'detach', short: 'd', kind: 'bool', help: 'Run container in background and print container ID' },
  { long: 'detach-keys', kind: 'string', help: 'Override the key sequence for detaching a container' },
  { long: 'sig-proxy', kind: 'bool', help: 'Proxy received signals to the process', default: true },
];

const command: Command = {
  usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  short: 'Create and run a new container from an image',
  aliases: ['skiff container run', 'skiff run'],
  flags: RUN_FLAGS,
  args: { min: 1 },
  interspersed: false,
  async run(cli, o, args) {
    const detach = o.bool('detach');
    let id: string;
    try {
      id = await createContainer(cli, o, args, 'run', !detach);
    } catch (e) {
      throw runError(cli, 'run', e);
    }
    const tty = o.bool('tty');
    const stdin = o.bool('interactive');
    if (detach) {
      try {
        await cli.client.post(`/containers/${id}/start`);
      } catch (e) {
        throw runError(cli, 'run', e);
      }
      cli.out(`${id}\n`);
      return 0;
    }
    const detachKeys = o.str('detach-keys') || cli.config.detachKeys;
    const conn = await cli.client.hijack('POST', `/containers/${id}/attach`, {
      query: { stream: '1', stdin: stdin ? '1' : undefined, stdout: '1', stderr: '1', detachKeys },
    });
    // Subscribe before starting so a fast exit cannot be missed.
    const waited = cli.client.post<{ StatusCode: number; Error?: { Message?: string } }>(`/containers/${id}/wait`, {
      condition: o.bool('rm') ? 'removed' : 'next-exit',
    });
    waited.catch(() => {});
    const io = streamIO(cli, conn, { tty, stdin });
    // Signals are proxied from before the start, as docker does: output (and so a user's reaction
    // to it) can come before the start request has returned.
    const unproxy = !tty && o.bool('sig-proxy') ? proxySignals(cli, id) : () => {};
    try {
      await cli.client.post(`/containers/${id}/start`);
    } catch (e) {
      unproxy();
      conn.destroy();
      throw runError(cli, 'run', e);
    }
    const unresize = tty ? monitorTtySize(cli, `/containers/${id}`) : () => {};
    try {
      await io;
      // With stdin attached, the stream also ends on a detach (ctrl-p ctrl-q): the container then
      // runs on, and docker returns at once with status 0.
      const status = stdin ? await Promise.race([waited, new Promise<undefined>((r) => setTimeout(r, 250, undefined).unref())]) : await waited;
      if (status === undefined) {
        const now = await cli.client.get<{ State?: { Running?: boolean } }>(`/containers/${id}/json`).catch(() => undefined);
        if (now?.State?.Running) return 0;
      }
      const final = status ?? (await waited);
      if (final.Error?.Message) cli.err(`${final.Error.Message}\n`);
      return final.StatusCode;
    } catch (e) {
      throw new StatusError(125, cli.errorText(e));
    } finally {
      unresize();
      unproxy();
    }
  },
};
export default command;
