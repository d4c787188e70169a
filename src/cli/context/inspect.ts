/** `skiff context inspect`: the stored metadata (default: the synthesised `default`), docker's JSON. */
import { ContextStore, DEFAULT_CONTEXT, DEFAULT_HOST, type ContextMeta } from '../../client/index.js';
import type { Command } from '../framework/command.js';
import { escapeJSONHTML } from '../../common/html-escape.js';
import { printInspect } from '../framework/inspect.js';
import { FORMAT_HELP } from '../framework/flags.js';

const command: Command = {
  usage: '[OPTIONS] [CONTEXT] [CONTEXT...]',
  short: 'Display detailed information on one or more contexts',
  flags: [{ long: 'format', short: 'f', kind: 'string', help: FORMAT_HELP }],
  async run(cli, o, args) {
    const names = args.length ? args : [cli.endpoint.contextName];
    const store = new ContextStore(cli.configDir);
    const found = names.map((name) => {
      const meta: ContextMeta = name === DEFAULT_CONTEXT
        ? { Name: DEFAULT_CONTEXT, Metadata: {}, Endpoints: { docker: { Host: cli.globals.host[0] ?? cli.env['DOCKER_HOST'] ?? DEFAULT_HOST, SkipTLSVerify: false } } }
        : store.get(name);
      const value = { ...meta, TLSMaterial: {}, Storage: { MetadataPath: name === DEFAULT_CONTEXT ? '<IN MEMORY>' : '', TLSPath: name === DEFAULT_CONTEXT ? '<IN MEMORY>' : store.tlsDir(name) } };
      return { raw: escapeJSONHTML(JSON.stringify(value)), value };
    });
    await printInspect(cli, o.str('format'), found, []);
  },
};
export default command;
