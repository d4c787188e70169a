/**
 * `skiff info`: the client section (version, context, debug mode) and the daemon's `/info`
 * rendered in docker's order. `--format` applies a template to `{…info, ClientInfo}` as docker does.
 */
import { SKIFF_VERSION } from '../../common/version.js';
import { formatItems, bytesSize } from '../format/index.js';
import type { Command } from '../framework/command.js';
import { FORMAT_HELP } from '../framework/flags.js';

function serverLines(i: any): string[] {
  const l = [
    `Server:`,
    ` Containers: ${i.Containers}`, `  Running: ${i.ContainersRunning}`, `  Paused: ${i.ContainersPaused}`,
    `  Stopped: ${i.ContainersStopped}`, ` Images: ${i.Images}`, ` Server Version: ${i.ServerVersion}`,
    ` Storage Driver: ${i.Driver}`,
  ];
  for (const [k, v] of i.DriverStatus ?? []) l.push(`  ${k}: ${v}`);
  l.push(` Logging Driver: ${i.LoggingDriver}`, ` Cgroup Driver: ${i.CgroupDriver}`, ` Cgroup Version: ${i.CgroupVersion}`);
  if (i.Plugins) {
    l.push(' Plugins:', `  Volume: ${(i.Plugins.Volume ?? []).join(' ')}`, `  Network: ${(i.Plugins.Network ?? []).join(' ')}`,
      `  Log: ${(i.Plugins.Log ?? []).join(' ')}`);
  }
  l.push(` Swarm: ${i.Swarm?.LocalNodeState ?? 'inactive'}`);
  if (i.Runtimes) l.push(` Runtimes: ${Object.keys(i.Runtimes).sort().join(' ')}`);
  l.push(` Default Runtime: ${i.DefaultRuntime}`, ` Init Binary: ${i.InitBinary ?? ''}`);
  if (i.SecurityOptions?.length) {
    l.push(' Security Options:');
    for (const s of i.SecurityOptions as string[]) l.push(`  ${s.replace(/^name=/, '').split(',')[0]}`);
  }
  l.push(` Kernel Version: ${i.KernelVersion}`, ` Operating System: ${i.OperatingSystem}`, ` OSType: ${i.OSType}`,
    ` Architecture: ${i.Architecture}`, ` CPUs: ${i.NCPU}`, ` Total Memory: ${bytesSize(i.MemTotal ?? 0)}`,
    ` Name: ${i.Name}`, ` ID: ${i.ID}`, ` Docker Root Dir: ${i.DockerRootDir}`, ` Debug Mode: ${i.Debug}`,
    ` Experimental: ${i.ExperimentalBuild}`, ` Insecure Registries:`);
  for (const c of i.RegistryConfig?.InsecureRegistryCIDRs ?? []) l.push(`  ${c}`);
  l.push(` Live Restore Enabled: ${i.LiveRestoreEnabled}`);
  return l;
}

const command: Command = {
  usage: '[OPTIONS]',
  short: 'Display system-wide information',
  aliases: ['skiff system info', 'skiff info'],
  flags: [{ long: 'format', short: 'f', kind: 'string', help: FORMAT_HELP }],
  args: { max: 0 },
  async run(cli, o) {
    const clientInfo = { Debug: cli.globals.debug, Version: SKIFF_VERSION, Context: cli.endpoint.contextName, Plugins: [], Warnings: null };
    const format = o.str('format');
    let info: any;
    let failure: unknown;
    try {
      info = await cli.client.get('/info');
    } catch (e) {
      failure = e;
    }
    if (format) {
      cli.out(formatItems(format === 'json' ? '{{json .}}' : format, [{ ...info, ClientInfo: clientInfo }], {}));
      if (failure) throw failure;
      return 0;
    }
    const out = ['Client:', ` Version:    ${SKIFF_VERSION}`, ` Context:    ${clientInfo.Context}`, ` Debug Mode: ${clientInfo.Debug}`, ''];
    if (info) out.push(...serverLines(info));
    cli.out(out.join('\n') + '\n');
    if (info?.Warnings?.length) cli.err((info.Warnings as string[]).join('\n') + '\n');
    if (failure) throw failure;
    return 0;
  },
};
export default command;
