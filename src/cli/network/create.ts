/** `skiff network create`: POST /networks/create with driver, subnet/gateway/ip-range, options, labels. */
import type { Command } from '../framework/command.js';

const kv = (l: string[]): Record<string, string> => Object.fromEntries(l.map((e) => { const i = e.indexOf('='); return i < 0 ? [e, ''] : [e.slice(0, i), e.slice(i + 1)]; }));

const command: Command = {
  usage: '[OPTIONS] NETWORK',
  short: 'Create a network',
  flags: [
    { long: 'attachable', kind: 'bool', help: 'Enable manual container attachment' },
    { long: 'driver', short: 'd', kind: 'string', help: 'Driver to manage the Network', default: 'bridge' },
    { long: 'gateway', kind: 'list', help: 'IPv4 or IPv6 Gateway for the master subnet' },
    { long: 'internal', kind: 'bool', help: 'Restrict external access to the network' },
    { long: 'ip-range', kind: 'list', help: 'Allocate container ip from a sub-range' },
    { long: 'ipv6', kind: 'bool', help: 'Enable or disable IPv6 networking' },
    { long: 'label', kind: 'list', help: 'Set metadata on a network' },
    { long: 'opt', short: 'o', kind: 'list', help: 'Set driver specific options' },
    { long: 'subnet', kind: 'list', help: 'Subnet in CIDR format that represents a network segment' },
  ],
  args: { min: 1, max: 1 },
  async run(cli, o, [name]) {
    const subnets = o.list('subnet');
    if (o.list('gateway').length > subnets.length) throw new Error('every ip-range or gateway must have a corresponding subnet');
    const config = subnets.map((s, i) => ({ Subnet: s, Gateway: o.list('gateway')[i], IPRange: o.list('ip-range')[i] }));
    const r = await cli.client.post('/networks/create', undefined, {
      Name: name, Driver: o.str('driver'), Internal: o.bool('internal'), Attachable: o.bool('attachable'),
      EnableIPv6: o.has('ipv6') ? o.bool('ipv6') : undefined, Options: kv(o.list('opt')), Labels: kv(o.list('label')),
      IPAM: { Driver: 'default', Config: config, Options: {} },
    });
    cli.out(`${r.Id}\n`);
    if (r.Warning) cli.err(`${r.Warning}\n`);
  },
};
export default command;
