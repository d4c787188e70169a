/**
 * `skiff context update CONTEXT [--description …] [--docker host=…,ca=…,cert=…,key=…,skip-tls-verify=…]`:
 * a new description replaces the old one; a `--docker` value replaces the whole docker endpoint,
 * its TLS files included (none given: the stored ones are removed), as docker does.
 */
import { ContextStore } from '../../client/index.js';
import type { Command } from '../framework/command.js';
import { dockerEndpoint, parseDocker } from './endpoint.js';
import { validateName } from './archive.js';

const command: Command = {
  usage: '[OPTIONS] CONTEXT',
  short: 'Update a context',
  flags: [
    { long: 'description', kind: 'string', help: 'Description of the context' },
    { long: 'docker', kind: 'string', help: 'set the docker endpoint', valueName: 'stringToString' },
  ],
  args: { min: 1, max: 1 },
  async run(cli, o, [name]) {
    validateName(name!);
    const store = new ContextStore(cli.configDir);
    const meta = store.get(name!);
    if (o.str('description')) meta.Metadata = { ...meta.Metadata, Description: o.str('description') };
    // Everything is checked before anything is written.
    const ep = o.has('docker') ? dockerEndpoint(store, parseDocker(o.str('docker'))) : undefined;
    if (ep) meta.Endpoints = { ...meta.Endpoints, docker: ep.meta };
    store.save(meta);
    if (ep) store.setTLS(name!, 'docker', ep.tls);
    cli.out(`${name}\n`);
    cli.err(`Successfully updated context "${name}"\n`);
  },
};
export default command;

