/** `skiff network connect`: POST /networks/{net}/connect with aliases, ip, links. */
import type { Command } from '../framework/command.js';

const command: Command = {
  usage: '[OPTIONS] NETWORK CONTAINER',
  short: 'Connect a container to a network',
  flags: [
    { long: 'alias', kind: 'list', help: 'Add network-scoped alias for the container' },
    { long: 'ip', kind: 'string', help: 'IPv4 address (e.g., "172.30.100.104")' },
    { long: 'ip6', kind: 'string', help: 'IPv6 address (e.g., "2001:db8::33")' },
    { long: 'link', kind: 'list', help: 'Add link to another container' },
  ],
  args: { min: 2, max: 2 },
  async run(cli, o, [net, container]) {
    const ipam = o.str('ip') || o.str('ip6') ? { IPv4Address: o.str('ip') || undefined, IPv6Address: o.str('ip6') || undefined } : undefined;
    await cli.client.post(`/networks/${encodeURIComponent(net!)}/connect`, undefined, {
      Container: container, EndpointConfig: { Aliases: o.list('alias'), Links: o.list('link'), IPAMConfig: ipam },
    });
  },
};
export default command;
