/** `skiff port`: the container's published ports, all or for one `PRIVATE_PORT[/PROTO]`. */
import { StatusError, type Command } from '../framework/command.js';

const command: Command = {
  usage: 'CONTAINER [PRIVATE_PORT[/PROTO]]',
  short: 'List port mappings or a specific mapping for the container',
  flags: [],
  args: { min: 1, max: 2 },
  async run(cli, _o, [name, want]) {
    const c = await cli.client.get(`/containers/${encodeURIComponent(name!)}/json`);
    const ports: Record<string, { HostIp: string; HostPort: string }[] | null> = c.NetworkSettings?.Ports ?? {};
    const fmt = (b: { HostIp: string; HostPort: string }): string =>
      `${b.HostIp.includes(':') ? `[${b.HostIp}]` : b.HostIp || '0.0.0.0'}:${b.HostPort}`;
    if (want) {
      const key = want.includes('/') ? want : `${want}/tcp`;
      const bs = ports[key];
      if (!bs?.length) throw new StatusError(1, `Error: No public port '${key}' published for ${name}`);
      for (const b of bs) cli.out(fmt(b) + '\n');
      return;
    }
    const keys = Object.keys(ports).sort((a, b) => parseInt(a) - parseInt(b));
    for (const k of keys) for (const b of ports[k] ?? []) cli.out(`${k} -> ${fmt(b)}\n`);
  },
};
export default command;
