/**
 * `skiff context create NAME --docker host=…,ca=…,cert=…,key=…,skip-tls-verify=…` or
 * `--from CONTEXT`: stores the context in docker's layout, TLS files copied beside it.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ContextStore, DEFAULT_CONTEXT, DEFAULT_HOST, type ContextMeta } from '../../client/index.js';
import type { Command } from '../framework/command.js';
import { parseDocker } from './endpoint.js';

const command: Command = {
  usage: '[OPTIONS] CONTEXT',
  short: 'Create a context',
  flags: [
    { long: 'description', kind: 'string', help: 'Description of the context' },
    { long: 'docker', kind: 'string', help: 'set the docker endpoint', valueName: 'stringToString' },
    { long: 'from', kind: 'string', help: 'create context from a named context' },
  ],
  args: { min: 1, max: 1 },
  async run(cli, o, [name]) {
    const store = new ContextStore(cli.configDir);
    const d = parseDocker(o.str('docker'));
    const from = o.str('from') || d['from'];
    let host = d['host'];
    let skip = d['skip-tls-verify'] === 'true';
    if (from && !host) {
      if (from === DEFAULT_CONTEXT) host = cli.globals.host[0] ?? cli.env['DOCKER_HOST'] ?? DEFAULT_HOST;
      else {
        const src = store.get(from).Endpoints.docker ?? {};
        host = src.Host ?? DEFAULT_HOST;
        skip = src.SkipTLSVerify ?? false;
      }
    }
    host ??= cli.globals.host[0] ?? cli.env['DOCKER_HOST'] ?? DEFAULT_HOST;
    const meta: ContextMeta = {
      Name: name!, Metadata: o.str('description') ? { Description: o.str('description') } : {},
      Endpoints: { docker: { Host: host, SkipTLSVerify: skip } },
    };
    store.create(meta);
    const files: [string, string | undefined][] = [['ca.pem', d['ca']], ['cert.pem', d['cert']], ['key.pem', d['key']]];
    if (files.some(([, f]) => f)) {
      mkdirSync(store.tlsDir(name!), { recursive: true, mode: 0o700 });
      for (const [dst, src] of files) if (src) copyFileSync(src, join(store.tlsDir(name!), dst));
    }
    cli.out(`${name}\n`);
    cli.err(`Successfully created context "${name}"\n`);
  },
};
export default command;
