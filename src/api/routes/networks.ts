/**
 * Engine API network routes: list, inspect, create, remove, connect, disconnect, prune. Thin:
 * validate, one service call, write.
 */
import { invalidArgument } from '../../common/errors.js';
import type { Route } from '../route.js';
import type { NetworkService } from '../../services/networks/index.js';
import type { CreateNetworkRequest } from '../../network/networks.js';
import type { IPAM, NetworkConnectRequest, NetworkDisconnectRequest } from '../types/generated.js';

/** The create body is inline in the spec (no generated type); IPAM uses the generated one. */
interface CreateBody {
  Name?: string;
  Driver?: string;
  Internal?: boolean;
  Attachable?: boolean;
  EnableIPv6?: boolean;
  IPAM?: IPAM;
  Options?: Record<string, string>;
  Labels?: Record<string, string>;
}


/** Pure: the API's create body → the library's request. */
export function createRequest(b: CreateBody | undefined): CreateNetworkRequest {
  if (!b || typeof b !== 'object') throw invalidArgument('invalid JSON body');
  if (!b.Name) throw invalidArgument('network name must be specified');
  return {
    name: b.Name,
    driver: b.Driver,
    internal: b.Internal,
    attachable: b.Attachable,
    enableIPv6: b.EnableIPv6,
    ipam: b.IPAM && {
      driver: b.IPAM.Driver,
      options: b.IPAM.Options ?? {},
      config: (b.IPAM.Config ?? []).map((c) => ({ subnet: c.Subnet ?? '', gateway: c.Gateway || undefined, ipRange: c.IPRange || undefined, auxAddresses: c.AuxiliaryAddresses })),
    },
    options: b.Options,
    labels: b.Labels,
  };
}

export function networkRoutes(svc: NetworkService): Route[] {
  return [
    { method: 'GET', path: '/networks', handler: async (req, res) => res.json(200, svc.list(req.query.get('filters'))) },
    { method: 'GET', path: '/networks/{id}', handler: async (req, res) => res.json(200, svc.inspect(req.params.id!)) },
    {
      method: 'POST', path: '/networks/create',
      handler: async (req, res) => res.json(201, await svc.create(createRequest(await req.json<CreateBody>()))),
    },
    { method: 'DELETE', path: '/networks/{id}', handler: async (req, res) => { await svc.remove(req.params.id!); res.empty(204); } },
    {
      method: 'POST', path: '/networks/{id}/connect',
      handler: async (req, res) => {
        const b = await req.json<NetworkConnectRequest>();
        if (!b?.Container) throw invalidArgument('container must be specified');
        const ec = b.EndpointConfig ?? {};
        await svc.connect(req.params.id!, b.Container, { ipv4Address: ec.IPAMConfig?.IPv4Address || undefined, aliases: ec.Aliases ?? [], macAddress: ec.MacAddress || undefined });
        res.empty(200);
      },
    },
    {
      method: 'POST', path: '/networks/{id}/disconnect',
      handler: async (req, res) => {
        const b = await req.json<NetworkDisconnectRequest>();
        if (!b?.Container) throw invalidArgument('container must be specified');
        await svc.disconnect(req.params.id!, b.Container, !!b.Force);
        res.empty(200);
      },
    },
    { method: 'POST', path: '/networks/prune', minVersion: '1.25', handler: async (req, res) => res.json(200, await svc.prune(req.query.get('filters'))) },
  ];
}
