/**
 * `skiff login`: checks credentials with POST /auth, then stores them base64-encoded in
 * config.json `auths` under docker's key for the registry (Docker Hub: its v1 URL).
 */
import { registryKey, saveConfig } from '../../client/index.js';
import type { Command } from '../framework/command.js';
import { readStdin } from '../framework/util.js';

const command: Command = {
  usage: '[OPTIONS] [SERVER]',
  short: 'Authenticate to a registry',
  flags: [
    { long: 'password', short: 'p', kind: 'string', help: 'Password or Personal Access Token (PAT)' },
    { long: 'password-stdin', kind: 'bool', help: 'Take the Password or Personal Access Token (PAT) from stdin' },
    { long: 'username', short: 'u', kind: 'string', help: 'Username' },
  ],
  args: { max: 1 },
  async run(cli, o, [server]) {
    let password = o.str('password');
    if (o.bool('password-stdin')) {
      if (password) throw new Error('--password and --password-stdin are mutually exclusive');
      if (!o.str('username')) throw new Error('Must provide --username with --password-stdin');
      password = (await readStdin()).toString().replace(/\r?\n$/, '');
    } else if (password) {
      cli.err('WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n');
    }
    const username = o.str('username');
    if (!username || !password) throw new Error('Error: Cannot perform an interactive login from a non TTY device');
    const key = registryKey(server);
    const r = await cli.client.post('/auth', undefined, { username, password, serveraddress: key });
    const cfg = { ...cli.config, auths: { ...cli.config.auths } };
    cfg.auths[key] = r?.IdentityToken ? { auth: Buffer.from(`${username}:`).toString('base64'), identitytoken: r.IdentityToken } : { auth: Buffer.from(`${username}:${password}`).toString('base64') };
    saveConfig(cli.configDir, cfg);
    cli.out('Login Succeeded\n');
  },
};
export default command;
