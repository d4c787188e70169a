/**
 * `skiff version`: the client's facts, then the server's components, in docker's layout (a
 * tabwriter with minimum cell width 20). The client section prints even when the daemon is
 * down; the connection error follows and the exit status is 1, as with docker.
 */
import { arch, platform } from 'node:os';
import { SKIFF_VERSION } from '../../common/version.js';
import { CLIENT_API_VERSION } from '../../client/client.js';
import { fastTemplate } from '../framework/fast-template.js';
import type { Command } from '../framework/command.js';
import { StatusError } from '../framework/command.js';
import { FORMAT_HELP } from '../framework/flags.js';

const goArch = (a: string): string => (a === 'x64' ? 'amd64' : a === 'ia32' ? '386' : a);
const CLIENT_BUILT = 'Thu Jan  1 00:00:00 2026';

/** RFC 3339 build times print in Go's ANSIC layout ("Mon Jan  2 15:04:05 2006"), in UTC. */
function ansic(s: string): string {
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  // toUTCString: "Wed, 01 Jan 2025 00:00:00 GMT"
  const [wd, , mon, year, time] = d.toUTCString().replace(',', '').split(' ') as [string, string, string, string, string];
  const dd = String(d.getUTCDate()).padStart(2, ' ');
  return `${wd} ${mon} ${dd} ${time} ${year}`;
}

function clientSection(api: string, context: string): string {
  return [
    'Client:',
    ` Version:\t${SKIFF_VERSION}`,
    ` API version:\t${api}${api !== CLIENT_API_VERSION ? ` (downgraded from ${CLIENT_API_VERSION})` : ''}`,
    ` Go version:\t${process.version.replace(/^v/, 'node')}`,
    ' Git commit:\tskiff',
    ` Built:\t${CLIENT_BUILT}`,
    ` OS/Arch:\t${platform()}/${goArch(arch())}`,
    ` Context:\t${context}`,
  ].join('\n') + '\n';
}

function serverSection(v: any): string {
  const lines = [`Server:${v.Platform?.Name ? ` ${v.Platform.Name}` : ''}`];
  for (const comp of v.Components ?? []) {
    const d = comp.Details ?? {};
    lines.push(` ${comp.Name}:`);
    if (comp.Name === 'Engine') {
      lines.push(`  Version:\t${comp.Version}`, `  API version:\t${d.ApiVersion} (minimum version ${d.MinAPIVersion})`,
        `  Go version:\t${d.GoVersion}`, `  Git commit:\t${d.GitCommit}`, `  Built:\t${ansic(d.BuildTime)}`,
        `  OS/Arch:\t${d.Os}/${d.Arch}`, `  Experimental:\t${d.Experimental}`);
    } else {
      lines.push(`  Version:\t${comp.Version}`);
      for (const k of Object.keys(d).sort()) lines.push(`  ${k}:\t${d[k]}`);
    }
  }
  return lines.join('\n') + '\n';
}

const command: Command = {
  usage: '[OPTIONS]',
  short: 'Show the Docker version information',
  flags: [{ long: 'format', short: 'f', kind: 'string', help: FORMAT_HELP }],
  args: { max: 0 },
  async run(cli, o) {
    const format = o.str('format');
    let server: any;
    let failure: unknown;
    let api = CLIENT_API_VERSION;
    try {
      api = await cli.client.apiVersion();
      server = await cli.client.get('/version');
      if (server?.BuildTime) server.BuildTime = ansic(server.BuildTime);
    } catch (e) {
      failure = e;
    }
    const client = {
      Platform: { Name: '' }, Version: SKIFF_VERSION, ApiVersion: api, APIVersion: api, DefaultAPIVersion: CLIENT_API_VERSION,
      GoVersion: process.version.replace(/^v/, 'node'), GitCommit: 'skiff', BuildTime: CLIENT_BUILT,
      Os: platform(), Arch: goArch(arch()), Context: cli.endpoint.contextName, Experimental: true,
    };
    if (format) {
      const data = { Client: client, Server: server ?? null };
      const fast = fastTemplate(format, data);
      if (fast !== undefined) {
        cli.out(fast + '\n');
        if (failure) throw failure;
        return 0;
      }
      const { parseTemplate, DOCKER_FUNCS } = await import('../format/index.js');
      const r = parseTemplate(format === 'json' ? '{{json .}}' : format, DOCKER_FUNCS).tryExecute(data);
      cli.out(r.output + '\n');
      // A daemon that could not be reached is what docker reports, not the template's nil.
      if (r.error) throw failure ?? new StatusError(1, `template: ${r.error.message}`);
    } else {
      const { TabWriter } = await import('../format/tabwriter.js');
      const tw = new TabWriter(20, 1, 1, ' ', 0);
      tw.write(clientSection(api, client.Context));
      if (server) tw.write('\n' + serverSection(server));
      cli.out(tw.flush());
    }
    if (failure) throw failure;
    return 0;
  },
};
export default command;
