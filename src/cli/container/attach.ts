/**
 * `skiff attach`: attaches the terminal to a running container's streams (raw mode with a tty,
 * as `run -it`), forwards signals without a tty (--sig-proxy), and exits with the container's
 * status. A detach (the daemon ends the stream on the detach keys while the container runs)
 * prints docker's "read escape sequence" and exits 1, as docker's CLI does.
 */
import type { Cli } from '../framework/cli.js';
import { StatusError, type Command } from '../framework/command.js';
import { monitorTtySize, proxySignals, streamIO } from './attach-io.js';


interface Inspected {
  Id: string;
  Config?: { Tty?: boolean; OpenStdin?: boolean };
  State?: { Running?: boolean; Paused?: boolean; Restarting?: boolean };
}

/** docker's inspectContainerAndCheckState. */
async function runningContainer(cli: Cli, name: string): Promise<Inspected> {
  const c = await cli.client.get<Inspected>(`/containers/${encodeURIComponent(name)}/json`);
  if (!c.State?.Running) throw new StatusError(1, 'You cannot attach to a stopped container, start it first');
  if (c.State.Paused) throw new StatusError(1, 'You cannot attach to a paused container, unpause it first');
  if (c.State.Restarting) throw new StatusError(1, 'You cannot attach to a restarting container, wait until it is running');
  return c;
}

const command: Command = {
  usage: '[OPTIONS] CONTAINER',
  short: 'Attach local standard input, output, and error streams to a running container',
  aliases: ['skiff container attach', 'skiff attach'],
  flags: [
    { long: 'detach-keys', kind: 'string', help: 'Override the key sequence for detaching a container' },
    { long: 'no-stdin', kind: 'bool', help: 'Do not attach STDIN' },
    { long: 'sig-proxy', kind: 'bool', help: 'Proxy all received signals to the process', default: true },
  ],
  args: { min: 1, max: 1 },
  async run(cli, o, args) {
    const name = args[0]!;
    // Subscribe to the exit first so an exit during the attach cannot be missed.
    const waited = cli.client.post<{ StatusCode: number; Error?: { Message?: string } | null }>(`/containers/${encodeURIComponent(name)}/wait`);
    waited.catch(() => {});
    const c = await runningContainer(cli, name);
    const tty = c.Config?.Tty === true;
    if (tty && !o.bool('no-stdin') && !process.stdin.isTTY) throw new StatusError(1, 'the input device is not a TTY');
    const stdin = !o.bool('no-stdin') && c.Config?.OpenStdin === true;
    const detachKeys = o.str('detach-keys') || cli.config.detachKeys;
    const unproxy = o.bool('sig-proxy') && !tty ? proxySignals(cli, c.Id) : () => {};
    try {
      const conn = await cli.client.hijack('POST', `/containers/${c.Id}/attach`, {
        query: { stream: '1', stdin: stdin ? '1' : undefined, stdout: '1', stderr: '1', detachKeys },
      });
      try {
        await runningContainer(cli, c.Id);
      } catch (e) {
        conn.destroy();
        throw e;
      }
      const unresize = tty && process.stdout.isTTY ? monitorTtySize(cli, `/containers/${c.Id}`) : () => {};
      try {
        await streamIO(cli, conn, { tty, stdin });
      } finally {
        unresize();
      }
      const exited = await Promise.race([waited, new Promise<undefined>((r) => setTimeout(r, 1000, undefined))]);
      if (exited === undefined) {
        const now = await cli.client.get<Inspected>(`/containers/${c.Id}/json`).catch(() => undefined);
        if (now?.State?.Running) throw new StatusError(1, 'read escape sequence');
      }
      const status = exited ?? (await waited);
      if (status.Error?.Message) throw new StatusError(1, status.Error.Message);
      return status.StatusCode;
    } finally {
      unproxy();
    }
  },
};
export default command;
