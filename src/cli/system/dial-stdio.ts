/**
 * `skiff system dial-stdio`: joins stdin/stdout to one raw connection to the daemon (what an
 * ssh:// client runs on the remote host). Half-close as docker does it: the end of stdin closes
 * only our write side, and output keeps flowing until the daemon closes; when the daemon closes
 * first we return at once (stdin may never end, e.g. a tty).
 */
import { connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { parseHost, type Endpoint } from '../../client/index.js';
import type { Command } from '../framework/command.js';

async function dial(ep: Endpoint): Promise<Duplex> {
  if (ep.dial) return ep.dial();
  let sock: Duplex;
  if (ep.kind === 'unix') sock = netConnect({ path: ep.socketPath! });
  else if (ep.tls) {
    const { connect } = await import('node:tls');
    sock = connect({ host: ep.hostname, port: ep.port, servername: ep.hostname, ...ep.tls });
  } else sock = netConnect({ host: ep.hostname!, port: ep.port! });
  const describe = ep.kind === 'unix' ? `dial unix ${ep.socketPath}` : `dial tcp ${ep.hostname}:${ep.port}`;
  return new Promise((resolve, reject) => {
    const fail = (e: NodeJS.ErrnoException): void => {
      const why = e.code === 'ENOENT' ? 'no such file or directory' : e.code === 'ECONNREFUSED' ? 'connection refused' : e.message;
      reject(new Error(`failed to open the raw stream connection: ${describe}: connect: ${why}`));
    };
    sock.once('error', fail);
    sock.once(ep.tls ? 'secureConnect' : 'connect', () => {
      sock.off('error', fail);
      resolve(sock);
    });
  });
}

const command: Command = {
  usage: '',
  short: 'Proxy the stdio stream to the daemon connection. Should not be invoked manually.',
  hidden: true,
  flags: [],
  args: { max: 0 },
  async run(cli) {
    const conn = await dial(parseHost(cli.endpoint.host, cli.endpoint.tls));
    await new Promise<void>((resolve, reject) => {
      conn.on('error', reject);
      process.stdin.on('error', reject);
      process.stdout.on('error', reject);
      // stdin → daemon; at stdin's end pipe() calls conn.end(): our half-close.
      process.stdin.pipe(conn);
      conn.on('data', (d: Buffer) => {
        if (!process.stdout.write(d)) {
          conn.pause();
          process.stdout.once('drain', () => conn.resume());
        }
      });
      conn.on('end', () => {
        process.stdin.unpipe(conn);
        process.stdin.destroy();
        resolve();
      });
    });
    conn.destroy();
  },
};
export default command;
