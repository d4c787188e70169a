/**
 * `skiff exec`: creates an exec instance and starts it, attached over a hijacked connection
 * (or detached with `-d`), then exits with the process's exit code from the exec's inspect.
 */
import { StatusError, type Command } from '../framework/command.js';
import { parseEnv, readEnvFile } from './values.js';
import { monitorTtySize, streamIO } from './attach-io.js';

const command: Command = {
  usage: '[OPTIONS] CONTAINER COMMAND [ARG...]',
  short: 'Execute a command in a running container',
  aliases: ['skiff container exec', 'skiff exec'],
  flags: [
    { long: 'detach', short: 'd', kind: 'bool', help: 'Detached mode: run command in the background' },
    { long: 'detach-keys', kind: 'string', help: 'Override the key sequence for detaching a container' },
    { long: 'env', short: 'e', kind: 'list', help: 'Set environment variables' },
    { long: 'env-file', kind: 'list', help: 'Read in a file of environment variables' },
    { long: 'interactive', short: 'i', kind: 'bool', help: 'Keep STDIN open even if not attached' },
    { long: 'privileged', kind: 'bool', help: 'Give extended privileges to the command' },
    { long: 'tty', short: 't', kind: 'bool', help: 'Allocate a pseudo-TTY' },
    { long: 'user', short: 'u', kind: 'string', help: 'Username or UID (format: "<name|uid>[:<group|gid>]")' },
    { long: 'workdir', short: 'w', kind: 'string', help: 'Working directory inside the container' },
  ],
  args: { min: 2 },
  interspersed: false,
  async run(cli, o, [name, ...cmd]) {
    const detach = o.bool('detach');
    const tty = o.bool('tty');
    const stdin = o.bool('interactive');
    const env = [...o.list('env-file').flatMap(readEnvFile), ...parseEnv(o.list('env'))];
    const created = await cli.client.post<{ Id: string }>(`/containers/${encodeURIComponent(name!)}/exec`, undefined, {
      User: o.str('user'), Privileged: o.bool('privileged'), Tty: tty, AttachStdin: stdin && !detach,
      AttachStdout: !detach, AttachStderr: !detach, Detach: detach, DetachKeys: o.str('detach-keys') || cli.config.detachKeys || '',
      Env: env, WorkingDir: o.str('workdir'), Cmd: cmd,
    });
    const id = created.Id;
    if (detach) {
      await cli.client.post(`/exec/${id}/start`, undefined, { Detach: true, Tty: tty });
      return 0;
    }
    const conn = await cli.client.hijack('POST', `/exec/${id}/start`, { body: { Detach: false, Tty: tty } });
    const io = streamIO(cli, conn, { tty, stdin });
    const unresize = tty ? monitorTtySize(cli, `/exec/${id}`) : () => {};
    try {
      await io;
    } finally {
      unresize();
    }
    const info = await cli.client.get<{ ExitCode: number | null; Running: boolean }>(`/exec/${id}/json`);
    if (info.ExitCode === null) throw new StatusError(126, '');
    return info.ExitCode;
  },
};
export default command;
