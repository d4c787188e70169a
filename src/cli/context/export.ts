/**
 * `skiff context export CONTEXT [FILE|-]`: docker's context archive, to FILE (default
 * `CONTEXT.dockercontext`, created 0600, never overwritten) or to stdout with `-` (not a terminal).
 * `default` exports the synthesised context: the -H/DOCKER_HOST endpoint and the TLS flags' files.
 */
import { openSync, closeSync, writeSync, readFileSync } from 'node:fs';
import { ContextStore, DEFAULT_CONTEXT, DEFAULT_HOST, type ContextMeta } from '../../client/index.js';
import type { Cli } from '../framework/cli.js';
import type { Command } from '../framework/command.js';
import { packContext, validateName, type ContextArchive } from './archive.js';

function defaultContext(cli: Cli): ContextArchive {
  const host = cli.globals.host[0] ?? cli.env['DOCKER_HOST'] ?? DEFAULT_HOST;
  const meta: ContextMeta = { Name: DEFAULT_CONTEXT, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } };
  const tls = cli.endpoint.contextName === DEFAULT_CONTEXT ? cli.endpoint.tls : undefined;
  const files: Record<string, Buffer> = {};
  if (tls?.enabled) {
    meta.Endpoints.docker!.SkipTLSVerify = !tls.verify;
    for (const [f, path] of [['ca.pem', tls.verify ? tls.caFile : undefined], ['cert.pem', tls.certFile], ['key.pem', tls.keyFile]] as const) {
      if (path) files[f] = readFileSync(path);
    }
  }
  return { meta, tls: Object.keys(files).length ? { docker: files } : {} };
}

const command: Command = {
  usage: 'CONTEXT [FILE|-]',
  short: 'Export a context to a tar archive FILE or a tar stream on STDOUT.',
  flags: [],
  args: { min: 1, max: 2 },
  async run(cli, _o, [name, dest = `${name}.dockercontext`]) {
    let archive: ContextArchive;
    if (name === DEFAULT_CONTEXT) archive = defaultContext(cli);
    else {
      validateName(name!);
      const store = new ContextStore(cli.configDir);
      archive = { meta: store.get(name!), tls: store.tlsFiles(name!) };
    }
    const bytes = await packContext(archive);
    if (dest === '-') {
      if (process.stdout.isTTY) throw new Error('cowardly refusing to export to a terminal, specify a file path');
      cli.out(bytes as unknown as string);
      return;
    }
    let fd: number;
    try {
      fd = openSync(dest, 'wx', 0o600);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new Error(`open ${dest}: ${code === 'EEXIST' ? 'file exists' : code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
    }
    try {
      writeSync(fd, bytes);
    } finally {
      closeSync(fd);
    }
    cli.err(`Written file ${JSON.stringify(dest)}\n`);
  },
};
export default command;
