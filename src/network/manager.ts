/**
 * The network library's entry point, used by the daemon's network and containers services:
 * networks (create, remove, inspect data), sandboxes (attach, connect, disconnect, detach), and
 * `init`, which loads the persisted state after a (re)start and re-applies it — bridges, rules,
 * proxies, DNS listeners — without duplicating anything, since every re-apply is idempotent.
 */
import { join } from 'node:path';
import { EngineError } from '../common/errors.js';
import { ipBatch } from './exec.js';
import { chooseFirewall, enableIpForward, NoFirewall } from './firewall.js';
import type { Firewall } from './firewall.js';
import type { FirewallState } from './nft-rules.js';
import { bridgeDownScript, bridgeUpScript, linkExists } from './links.js';
import { isNetnsMounted } from './netns.js';
import { defaultBridgeRecord, NetworkTable, predefinedRecord } from './networks.js';
import type { CreateNetworkRequest } from './networks.js';
import { resolveOptions } from './options.js';
import type { NetworkOptions, ResolvedOptions } from './options.js';
import { hostRoutes, selectSubnet } from './pools.js';
import { PortAllocator } from './port-allocator.js';
import { PortPublisher } from './publisher.js';
import { Sandboxes } from './sandboxes.js';
import type { AttachRequest, EndpointRequest } from './sandboxes.js';
import { readText } from './sandbox-files.js';
import { parseResolvConf } from './files.js';
import { NetworkStore } from './store.js';
import { EmbeddedDns } from './dns/server.js';
import type { DnsView } from './dns/answer.js';
import type { EndpointRecord, NetworkRecord, SandboxRecord } from './types.js';

export class NetworkManager {
  readonly opts: ResolvedOptions;
  readonly table = new NetworkTable();
  readonly sandboxes: Sandboxes;
  private readonly store: NetworkStore;
  private readonly firewall: Firewall;
  private readonly publisher: PortPublisher;
  private readonly dns: EmbeddedDns;
  /** Problems met while restoring, for the daemon's log. */
  readonly warnings: string[] = [];

  constructor(options: NetworkOptions) {
    this.opts = resolveOptions(options);
    this.store = new NetworkStore(this.opts.dataRoot);
    this.firewall = this.opts.firewall === 'none' ? new NoFirewall() : chooseFirewall(this.opts.table, this.opts.firewall);
    if (this.firewall.kind === 'none' && this.opts.firewall !== 'none') this.warnings.push('neither nft nor iptables found: firewall rules (NAT, isolation, DNAT) are off');
    const allocator = new PortAllocator(this.opts.portRange);
    this.publisher = new PortPublisher(allocator, (sb) => this.defaultHostIp(sb));
    this.dns = new EmbeddedDns(this.dnsView(), (id) => this.opts.dnsUpstreams ?? this.sandboxes.upstreams.get(id) ?? []);
    this.sandboxes = new Sandboxes({
      table: this.table,
      store: this.store,
      publisher: this.publisher,
      dns: this.dns,
      netnsDir: join(this.opts.execRoot, 'netns'),
      defaultFilesDir: join(this.opts.dataRoot, 'network', 'files'),
      hostFiles: () => ({ resolvConf: readText(this.opts.hostResolvConf), hosts: readText(this.opts.hostHosts) }),
      hostGatewayIp: () => this.opts.hostGatewayIp ?? this.table.lookup('bridge')?.pool?.gateway,
      refreshFirewall: () => this.refreshFirewall(),
      saveNetworks: async (ids) => { for (const id of ids) { const n = this.table.lookup(id); if (n) await this.store.saveNetwork(n); } },
    });
  }

  private defaultHostIp(sb: SandboxRecord): string {
    const ep = sb.endpoints.find((e) => e.gatewayEndpoint) ?? sb.endpoints[0];
    const net = ep ? this.table.lookup(ep.networkId) : undefined;
    const fromNet = net?.bridge?.hostBindingIpv4;
    return fromNet && fromNet !== '0.0.0.0' ? fromNet : this.opts.ip;
  }

  private bridgeNames(): Set<string> {
    return new Set(this.table.all().flatMap((n) => (n.bridge ? [n.bridge.name] : [])));
  }

  private subnetFromPools(): string {
    return selectSubnet(this.opts.defaultAddressPools, [...this.table.subnets(), ...hostRoutes(this.bridgeNames())]);
  }

  /** Loads persisted state and (re)applies it; safe to call on every daemon start. */
  async init(): Promise<void> {
    for (const n of this.store.loadNetworks()) this.table.put(n);
    for (const name of ['host', 'none'] as const) {
      if (!this.table.lookup(name)) { const r = predefinedRecord(name); this.table.put(r); await this.store.saveNetwork(r); }
    }
    await this.ensureDefaultBridge();
    const sandboxes = this.store.loadSandboxes();
    const live = new Set<string>();
    const script: string[] = [];
    for (const n of this.table.all()) {
      if (n.bridge && n.pool) script.push(...bridgeUpScript({ name: n.bridge.name, address: `${n.pool.gateway}/${n.pool.subnet.split('/')[1]}`, mtu: n.bridge.mtu }, linkExists(n.bridge.name)));
    }
    await ipBatch(script);
    enableIpForward();
    for (const sb of sandboxes) {
      const alive = sb.mode === 'host' || (sb.netnsPath !== undefined && isNetnsMounted(sb.netnsPath));
      if (!alive || (sb.sharedWith && !sandboxes.some((o) => o.containerId === sb.sharedWith))) {
        await this.store.deleteSandbox(sb.containerId);
        await ipBatch(sb.endpoints.filter((e) => e.hostVeth && linkExists(e.hostVeth)).map((e) => `link del ${e.hostVeth}`), ['ip', '-force']).catch(() => undefined);
        continue;
      }
      this.sandboxes.byContainer.set(sb.containerId, sb);
      for (const ep of sb.endpoints) live.add(ep.id);
    }
    // IPAM reconciliation: an address whose endpoint is gone (crash between two writes) is freed,
    // and a live endpoint's address is held even if the network file missed it.
    for (const n of this.table.all()) {
      let dirty = false;
      for (const [ip, owner] of Object.entries(n.allocations)) {
        if (owner !== 'gateway' && owner !== 'aux' && !live.has(owner)) { delete n.allocations[ip]; dirty = true; }
      }
      for (const { ep } of this.sandboxes.endpointsOn(n.id)) {
        if (ep.ip && n.allocations[ep.ip] !== ep.id) { n.allocations[ep.ip] = ep.id; dirty = true; }
      }
      if (dirty) await this.store.saveNetwork(n);
    }
    for (const sb of this.sandboxes.byContainer.values()) {
      const servers = sb.dns.servers?.length ? sb.dns.servers : parseResolvConf(readText(this.opts.hostResolvConf)).nameservers;
      this.sandboxes.upstreams.set(sb.containerId, [...servers]);
      for (const err of await this.publisher.restore(sb)) this.warnings.push(`container ${sb.containerId}: port ${err}`);
      if (sb.embeddedDns && sb.netnsPath) {
        try { await this.dns.listen(sb.containerId, sb.netnsPath); } catch (e) { this.warnings.push(`container ${sb.containerId}: embedded DNS: ${(e as Error).message}`); }
      }
    }
    await this.refreshFirewall();
  }

  /** Creates (or, with a changed bip/bridge name and no endpoints, recreates) the default bridge record. */
  private async ensureDefaultBridge(): Promise<void> {
    const existing = this.table.lookup('bridge');
    const o = this.opts;
    if (existing) {
      const same = existing.bridge?.name === o.bridgeName && (!o.bip || `${existing.pool?.gateway}/${existing.pool?.subnet.split('/')[1]}` === o.bip);
      if (same || this.sandboxes.endpointsOn(existing.id).length || this.store.loadSandboxes().some((s) => s.endpoints.some((e) => e.networkId === existing.id))) return;
      this.table.delete(existing.id);
      await this.store.deleteNetwork(existing.id);
    }
    const rec = defaultBridgeRecord(
      { bridgeName: o.bridgeName, bip: o.bip, mtu: o.mtu, icc: o.icc, ipMasq: o.ipMasq, hostBindingIpv4: o.ip },
      () => this.subnetFromPools(),
    );
    if (existing) rec.id = existing.id;
    if (linkExists(o.bridgeName)) rec.bridge!.preexisting = true;
    this.table.put(rec);
    await this.store.saveNetwork(rec);
  }

  firewallState(): FirewallState {
    // A stable order, so the same state always yields the same script (and no-op re-applies).
    const nets = this.table.all().sort((x, y) => x.created.localeCompare(y.created) || x.id.localeCompare(y.id));
    const bridges = nets.filter((n) => n.bridge && n.pool).map((n) => ({
      name: n.bridge!.name, subnet: n.pool!.subnet, internal: n.internal, icc: n.bridge!.icc, masquerade: n.bridge!.masquerade,
    }));
    const ports: FirewallState['ports'] = [];
    const sandboxes = [...this.sandboxes.byContainer.values()].sort((x, y) => x.containerId.localeCompare(y.containerId));
    for (const sb of sandboxes) {
      const ep = sb.endpoints.find((e) => e.gatewayEndpoint) ?? sb.endpoints.find((e) => e.ip);
      const net = ep ? this.table.lookup(ep.networkId) : undefined;
      if (!ep || !net?.bridge) continue;
      for (const m of sb.ports) ports.push({ bridge: net.bridge.name, proto: m.proto, hostIp: m.hostIp, hostPort: m.hostPort, containerIp: ep.ip, containerPort: m.containerPort });
    }
    return { bridges, ports };
  }

  refreshFirewall(): Promise<void> {
    return this.firewall.apply(this.firewallState());
  }

  get firewallKind(): Firewall['kind'] {
    return this.firewall.kind;
  }

  async createNetwork(req: CreateNetworkRequest): Promise<NetworkRecord> {
    const rec = this.table.buildBridge(req, this.opts.defaultAddressPools, hostRoutes(this.bridgeNames()), this.opts.mtu);
    const b = rec.bridge!;
    const exists = linkExists(b.name);
    if (exists) b.preexisting = true;
    this.table.put(rec);
    try {
      await ipBatch(bridgeUpScript({ name: b.name, address: `${rec.pool!.gateway}/${rec.pool!.subnet.split('/')[1]}`, mtu: b.mtu }, exists));
      enableIpForward();
      await this.refreshFirewall();
      await this.store.saveNetwork(rec);
    } catch (e) {
      this.table.delete(rec.id);
      if (!exists) await ipBatch(bridgeDownScript(b.name)).catch(() => undefined);
      await this.refreshFirewall().catch(() => undefined);
      throw e;
    }
    return rec;
  }

  async removeNetwork(idOrName: string): Promise<NetworkRecord> {
    const n = this.table.get(idOrName);
    if (n.predefined) throw new EngineError('forbidden', `${n.name} is a pre-defined network and cannot be removed`);
    if (this.sandboxes.endpointsOn(n.id).length > 0) {
      throw new EngineError('forbidden', `error while removing network: network ${n.name} id ${n.id} has active endpoints`);
    }
    this.table.delete(n.id);
    await this.store.deleteNetwork(n.id);
    if (n.bridge && !n.bridge.preexisting) await ipBatch(bridgeDownScript(n.bridge.name)).catch(() => undefined);
    await this.refreshFirewall();
    return n;
  }

  attach(req: AttachRequest): Promise<SandboxRecord> {
    return this.sandboxes.attach(req);
  }

  detach(containerId: string): Promise<void> {
    return this.sandboxes.detach(containerId);
  }

  connect(containerId: string, network: string, req: EndpointRequest = {}): Promise<EndpointRecord> {
    return this.sandboxes.connect(containerId, this.table.get(network), req);
  }

  disconnect(containerId: string, network: string): Promise<boolean> {
    return this.sandboxes.disconnect(containerId, this.table.get(network));
  }

  /** Stops proxies and DNS listeners; containers keep their network (for a daemon restart). */
  async shutdown(): Promise<void> {
    await this.publisher.closeAll();
    await this.dns.closeAll();
  }

  /**
   * Removes everything skiff made: sandboxes, user networks, the default bridge device and the
   * nft table. For tests and `skiffd --cleanup`; a daemon restart uses shutdown() instead.
   */
  async destroyAll(): Promise<void> {
    for (const id of [...this.sandboxes.byContainer.keys()]) await this.detach(id);
    for (const n of this.table.all()) if (!n.predefined) await this.removeNetwork(n.id);
    const def = this.table.lookup('bridge');
    if (def?.bridge && !def.bridge.preexisting) await ipBatch(bridgeDownScript(def.bridge.name)).catch(() => undefined);
    await this.firewall.apply({ bridges: [], ports: [] });
    await this.shutdown();
  }

  private dnsView(): DnsView {
    const sharedNets = (cid: string): string[] => {
      const sb = this.sandboxes.get(cid);
      return sb ? sb.endpoints.filter((e) => e.dnsNames.length).map((e) => e.networkId) : [];
    };
    return {
      forward: (cid, name) => {
        for (const netId of sharedNets(cid)) {
          const ips = this.sandboxes.endpointsOn(netId).filter(({ ep }) => ep.dnsNames.includes(name)).map(({ ep }) => ep.ip);
          if (ips.length) return [...new Set(ips)];
        }
        return undefined;
      },
      reverse: (cid, ip) => {
        for (const netId of sharedNets(cid)) {
          const hit = this.sandboxes.endpointsOn(netId).find(({ ep }) => ep.ip === ip);
          if (hit) return `${hit.sb.containerName}.${this.table.get(netId).name}`;
        }
        return undefined;
      },
    };
  }
}
