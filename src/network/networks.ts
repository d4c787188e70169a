/**
 * The table of networks: lookup as Docker resolves names (full id, exact name, unique id
 * prefix), validation of create requests into records, and the predefined networks `bridge`,
 * `host` and `none`. Devices and rules are the manager's business; this file only decides.
 */
import { randomBytes } from 'node:crypto';
import { EngineError, conflict, invalidArgument, notImplemented } from '../common/errors.js';
import { initialAllocations, makePool } from './ipam.js';
import type { PoolRequest } from './ipam.js';
import { overlaps, parseCidr, cidrAddress, formatIPv4 } from './ipv4.js';
import type { Cidr } from './ipv4.js';
import { checkBridgeName } from './links.js';
import { selectSubnet } from './pools.js';
import type { AddressPool } from './pools.js';
import type { NetworkRecord } from './types.js';

export const OPT_BRIDGE_NAME = 'com.docker.network.bridge.name';
export const OPT_MTU = 'com.docker.network.driver.mtu';
export const OPT_ICC = 'com.docker.network.bridge.enable_icc';
export const OPT_MASQ = 'com.docker.network.bridge.enable_ip_masquerade';
export const OPT_HOST_BINDING = 'com.docker.network.bridge.host_binding_ipv4';
export const OPT_DEFAULT_BRIDGE = 'com.docker.network.bridge.default_bridge';

export interface CreateNetworkRequest {
  name: string;
  driver?: string;
  internal?: boolean;
  attachable?: boolean;
  enableIPv6?: boolean;
  ipam?: { driver?: string; options?: Record<string, string>; config?: PoolRequest[] };
  options?: Record<string, string>;
  labels?: Record<string, string>;
}

export function networkNotFound(idOrName: string): EngineError {
  return new EngineError('not-found', `network ${idOrName} not found`);
}

export function newId(): string {
  return randomBytes(32).toString('hex');
}

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

function boolOpt(v: string | undefined, dflt: boolean): boolean {
  if (v === undefined || v === '') return dflt;
  if (/^(1|t|true)$/i.test(v)) return true;
  if (/^(0|f|false)$/i.test(v)) return false;
  throw invalidArgument(`invalid boolean option value: ${v}`);
}

export class NetworkTable {
  private readonly byId = new Map<string, NetworkRecord>();

  all(): NetworkRecord[] {
    return [...this.byId.values()];
  }

  put(n: NetworkRecord): void {
    this.byId.set(n.id, n);
  }

  delete(id: string): void {
    this.byId.delete(id);
  }

  /** Full id, then exact name, then unique id prefix — Docker's order. */
  lookup(idOrName: string): NetworkRecord | undefined {
    const exact = this.byId.get(idOrName);
    if (exact) return exact;
    const named = this.all().find((n) => n.name === idOrName);
    if (named) return named;
    if (!/^[0-9a-f]+$/.test(idOrName)) return undefined;
    const matches = this.all().filter((n) => n.id.startsWith(idOrName));
    if (matches.length > 1) throw new EngineError('invalid-argument', `network ${idOrName} is ambiguous (${matches.length} matches found based on ID prefix)`);
    return matches[0];
  }

  get(idOrName: string): NetworkRecord {
    const n = this.lookup(idOrName);
    if (!n) throw networkNotFound(idOrName);
    return n;
  }

  subnets(): Cidr[] {
    return this.all().filter((n) => n.pool).map((n) => parseCidr(n.pool!.subnet));
  }

  /** Validates a create request into a bridge network record (no device is touched). */
  buildBridge(req: CreateNetworkRequest, pools: readonly AddressPool[], hostRoutes: Cidr[], defaultMtu: number): NetworkRecord {
    if (!req.name || !NAME_RE.test(req.name)) {
      throw invalidArgument(`invalid network name "${req.name ?? ''}": must match [a-zA-Z0-9][a-zA-Z0-9_.-]*`);
    }
    const driver = req.driver || 'bridge';
    if (driver === 'host' || driver === 'null') {
      throw new EngineError('forbidden', `only one instance of "${driver}" network is allowed`);
    }
    if (driver !== 'bridge') throw new EngineError('not-found', `plugin "${driver}" not found`);
    if (this.all().some((n) => n.name === req.name)) throw conflict(`network with name ${req.name} already exists`);
    if (req.enableIPv6) throw notImplemented('IPv6 networks are not supported by skiff');
    if (req.ipam?.driver && req.ipam.driver !== 'default') throw new EngineError('not-found', `plugin "${req.ipam.driver}" not found`);
    const configs = (req.ipam?.config ?? []).filter((c) => c.subnet || c.gateway || c.ipRange);
    if (configs.some((c) => (c.subnet ?? '').includes(':'))) throw notImplemented('IPv6 networks are not supported by skiff');
    if (configs.length > 1) throw notImplemented('more than one IPv4 pool per network is not supported by skiff');
    const cfg = configs[0];
    if (cfg && !cfg.subnet) throw invalidArgument('a gateway or ip-range needs a subnet');
    const id = newId();
    const options = { ...(req.options ?? {}) };
    const bridgeName = options[OPT_BRIDGE_NAME] || `br-${id.slice(0, 12)}`;
    checkBridgeName(bridgeName);
    if (this.all().some((n) => n.bridge?.name === bridgeName)) throw conflict(`bridge name ${bridgeName} is already in use`);
    const mtu = options[OPT_MTU] ? Number(options[OPT_MTU]) : defaultMtu;
    if (!Number.isInteger(mtu) || mtu < 68 || mtu > 65535) throw invalidArgument(`invalid MTU ${options[OPT_MTU]}`);
    let pool;
    if (cfg) {
      pool = makePool(cfg as PoolRequest);
      const c = parseCidr(pool.subnet);
      if (this.subnets().some((s) => overlaps(s, c))) {
        throw new EngineError('forbidden', 'invalid pool request: Pool overlaps with other one on this address space');
      }
    } else {
      pool = makePool({ subnet: selectSubnet(pools, [...this.subnets(), ...hostRoutes]) });
    }
    return {
      id,
      name: req.name,
      driver: 'bridge',
      created: new Date().toISOString(),
      predefined: false,
      internal: !!req.internal,
      attachable: !!req.attachable,
      enableIPv6: false,
      labels: { ...(req.labels ?? {}) },
      options,
      ipamOptions: { ...(req.ipam?.options ?? {}) },
      pool,
      userSubnet: !!cfg,
      bridge: {
        name: bridgeName,
        mtu,
        icc: boolOpt(options[OPT_ICC], true),
        masquerade: boolOpt(options[OPT_MASQ], true),
        hostBindingIpv4: options[OPT_HOST_BINDING] || '0.0.0.0',
      },
      allocations: initialAllocations(pool),
    };
  }
}

export interface DefaultBridgeConfig {
  bridgeName: string;
  /** `bip`: the bridge's address with prefix, e.g. 172.17.0.1/16. */
  bip?: string;
  mtu: number;
  icc: boolean;
  ipMasq: boolean;
  hostBindingIpv4: string;
}

/** The predefined `bridge` network; its subnet comes from bip or the first free default pool. */
export function defaultBridgeRecord(cfg: DefaultBridgeConfig, subnetFromPools: () => string): NetworkRecord {
  let pool;
  if (cfg.bip) {
    const c = parseCidr(cfg.bip);
    pool = makePool({ subnet: `${formatIPv4(c.base)}/${c.prefix}`, gateway: formatIPv4(cidrAddress(cfg.bip)) });
  } else {
    pool = makePool({ subnet: subnetFromPools() });
  }
  return {
    id: newId(),
    name: 'bridge',
    driver: 'bridge',
    created: new Date().toISOString(),
    predefined: true,
    internal: false,
    attachable: false,
    enableIPv6: false,
    labels: {},
    options: {
      [OPT_DEFAULT_BRIDGE]: 'true',
      [OPT_ICC]: String(cfg.icc),
      [OPT_MASQ]: String(cfg.ipMasq),
      [OPT_HOST_BINDING]: cfg.hostBindingIpv4,
      [OPT_BRIDGE_NAME]: cfg.bridgeName,
      [OPT_MTU]: String(cfg.mtu),
    },
    ipamOptions: {},
    pool,
    userSubnet: !!cfg.bip,
    bridge: { name: cfg.bridgeName, mtu: cfg.mtu, icc: cfg.icc, masquerade: cfg.ipMasq, hostBindingIpv4: cfg.hostBindingIpv4 },
    allocations: initialAllocations(pool),
  };
}

/** The predefined `host` (driver host) and `none` (driver null) networks. */
export function predefinedRecord(name: 'host' | 'none'): NetworkRecord {
  return {
    id: newId(),
    name,
    driver: name === 'host' ? 'host' : 'null',
    created: new Date().toISOString(),
    predefined: true,
    internal: false,
    attachable: false,
    enableIPv6: false,
    labels: {},
    options: {},
    ipamOptions: {},
    allocations: {},
  };
}
