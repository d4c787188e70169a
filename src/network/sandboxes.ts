/**
 * Containers' network sandboxes: attaching a container before its process starts (namespace,
 * endpoints, published ports, files, embedded DNS), connecting and disconnecting networks while
 * it runs, and detaching it when it stops. Every step that can fail happens before anything is
 * persisted, and a failure rolls back what was done, so a failed start leaves no veth, namespace,
 * address or port behind.
 */
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { EngineError, invalidArgument, notFound } from '../common/errors.js';
import { allocate, release } from './ipam.js';
import { macFromIPv4, parseIPv4, parseCidr, isValidMac } from './ipv4.js';
import { createNetns, daemonNetnsPath, ipBatchIn, removeNetns } from './netns.js';
import { ipBatch } from './exec.js';
import { endpointHostScript, endpointNsScript, vethName } from './links.js';
import type { EndpointSpec } from './links.js';
import { newId } from './networks.js';
import type { NetworkTable } from './networks.js';
import type { NetworkStore } from './store.js';
import type { EndpointRecord, NetworkRecord, SandboxRecord } from './types.js';
import type { PortBindingsApi } from './port-spec.js';
import { portRequests } from './port-spec.js';
import type { PortPublisher } from './publisher.js';
import { expandExtraHosts, writeSandboxFiles } from './sandbox-files.js';
import type { HostFiles } from './sandbox-files.js';
import type { EmbeddedDns } from './dns/server.js';

export interface EndpointRequest {
  /** --ip */
  ipv4Address?: string;
  /** --alias */
  aliases?: string[];
  /** --mac-address */
  macAddress?: string;
}

export interface AttachRequest {
  containerId: string;
  /** Container name without the leading slash. */
  name: string;
  hostname: string;
  domainname?: string;
  /** HostConfig.NetworkMode: default, bridge, host, none, container:<full id>, or a network. */
  networkMode?: string;
  /** NetworkingConfig.EndpointsConfig: network name or id → settings; extra keys join more networks. */
  endpoints?: Record<string, EndpointRequest>;
  dns?: string[];
  dnsSearch?: string[];
  dnsOptions?: string[];
  extraHosts?: string[];
  portBindings?: PortBindingsApi;
  exposedPorts?: Record<string, unknown>;
  publishAll?: boolean;
  /** Where hosts/hostname/resolv.conf go (the container's directory); a library default otherwise. */
  filesDir?: string;
}

export interface SandboxContext {
  table: NetworkTable;
  store: NetworkStore;
  publisher: PortPublisher;
  dns: EmbeddedDns;
  netnsDir: string;
  defaultFilesDir: string;
  hostFiles(): HostFiles;
  hostGatewayIp(): string | undefined;
  refreshFirewall(): Promise<void>;
  saveNetworks(ids: Iterable<string>): Promise<void>;
}

function isUserDefined(n: NetworkRecord): boolean {
  return n.driver === 'bridge' && !n.predefined;
}

export class Sandboxes {
  readonly byContainer = new Map<string, SandboxRecord>();
  /** Upstreams of each sandbox's embedded DNS, from its resolv.conf computation. */
  readonly upstreams = new Map<string, string[]>();

  constructor(private readonly ctx: SandboxContext) {}

  get(containerId: string): SandboxRecord | undefined {
    return this.byContainer.get(containerId);
  }

  /** Endpoints on a network, with their sandboxes. */
  endpointsOn(networkId: string): Array<{ sb: SandboxRecord; ep: EndpointRecord }> {
    const out: Array<{ sb: SandboxRecord; ep: EndpointRecord }> = [];
    for (const sb of this.byContainer.values()) for (const ep of sb.endpoints) if (ep.networkId === networkId) out.push({ sb, ep });
    return out;
  }

  private makeEndpoint(net: NetworkRecord, sb: SandboxRecord, req: EndpointRequest, ifName: string, defaultRoute: boolean): EndpointRecord {
    const id = newId();
    if (req.ipv4Address && !net.userSubnet && !net.predefined) {
      throw invalidArgument('user specified IP address is supported only when connecting to networks with user configured subnets');
    }
    if (req.macAddress && !isValidMac(req.macAddress)) throw invalidArgument(`invalid MAC address: ${req.macAddress}`);
    const ip = allocate(net, id, req.ipv4Address);
    const aliases = [...(req.aliases ?? [])];
    return {
      id,
      networkId: net.id,
      ifName,
      hostVeth: vethName(),
      ip,
      prefix: parseCidr(net.pool!.subnet).prefix,
      gateway: net.pool!.gateway,
      mac: req.macAddress?.toLowerCase() ?? macFromIPv4(parseIPv4(ip)),
      aliases,
      dnsNames: isUserDefined(net) ? [sb.containerName, ...aliases, sb.containerId.slice(0, 12)].map((s) => s.toLowerCase()) : [],
      gatewayEndpoint: defaultRoute,
    };
  }

  private spec(ep: EndpointRecord): EndpointSpec {
    const net = this.ctx.table.get(ep.networkId);
    return { ...ep, mtu: net.bridge!.mtu, defaultRoute: ep.gatewayEndpoint, bridge: net.bridge!.name };
  }

  private releaseEndpoints(eps: EndpointRecord[]): Set<string> {
    const changed = new Set<string>();
    for (const ep of eps) {
      const net = this.ctx.table.lookup(ep.networkId);
      if (net && ep.ip && release(net, ep.ip, ep.id)) changed.add(net.id);
    }
    return changed;
  }

  /** Resolves NetworkMode and EndpointsConfig into the mode and the networks to join. */
  private plan(req: AttachRequest): { mode: SandboxRecord['mode']; sharedWith?: SandboxRecord; joins: Array<[NetworkRecord, EndpointRequest]> } {
    const modeStr = !req.networkMode || req.networkMode === 'default' ? 'bridge' : req.networkMode;
    if (modeStr.startsWith('container:')) {
      const other = modeStr.slice('container:'.length);
      const sb = this.byContainer.get(other) ?? [...this.byContainer.values()].find((s) => s.containerId.startsWith(other));
      if (!sb || !sb.netnsPath) throw new EngineError('conflict', `cannot join network namespace of container ${other}: it is not running`);
      return { mode: 'container', sharedWith: sb, joins: [] };
    }
    const primary = this.ctx.table.get(modeStr);
    const endpoints = req.endpoints ?? {};
    if (primary.driver !== 'bridge') {
      if (Object.keys(endpoints).some((k) => this.ctx.table.get(k).id !== primary.id)) {
        throw invalidArgument(`container sharing network namespace with another container or host cannot be connected to any other network`);
      }
      return { mode: primary.driver === 'host' ? 'host' : 'none', joins: [[primary, {}]] };
    }
    const joins: Array<[NetworkRecord, EndpointRequest]> = [];
    const seen = new Set<string>([primary.id]);
    const primaryKey = Object.keys(endpoints).find((k) => this.ctx.table.get(k).id === primary.id);
    joins.push([primary, primaryKey ? endpoints[primaryKey]! : {}]);
    for (const [k, settings] of Object.entries(endpoints)) {
      const n = this.ctx.table.get(k);
      if (seen.has(n.id)) continue;
      if (n.driver !== 'bridge') throw invalidArgument(`container cannot be connected to network ${n.name} and to ${primary.name}`);
      seen.add(n.id);
      joins.push([n, settings]);
    }
    return { mode: 'bridge', joins };
  }

  /** Everything a container needs before its process starts. Idempotent: re-attaching replaces. */
  async attach(req: AttachRequest): Promise<SandboxRecord> {
    if (this.byContainer.has(req.containerId)) await this.detach(req.containerId);
    const { mode, sharedWith, joins } = this.plan(req);
    const filesDir = req.filesDir ?? join(this.ctx.defaultFilesDir, req.containerId);
    const sb: SandboxRecord = {
      containerId: req.containerId,
      containerName: req.name.replace(/^\//, ''),
      hostname: req.hostname,
      domainname: req.domainname ?? '',
      mode,
      filesDir,
      hostsPath: join(filesDir, 'hosts'),
      resolvConfPath: join(filesDir, 'resolv.conf'),
      hostnamePath: join(filesDir, 'hostname'),
      endpoints: [],
      ports: [],
      dns: { servers: req.dns ?? [], search: req.dnsSearch ?? [], options: req.dnsOptions ?? [] },
      extraHosts: expandExtraHosts(req.extraHosts ?? [], this.ctx.hostGatewayIp()),
      embeddedDns: false,
    };
    if (mode === 'container') {
      // Docker shares the other container's files along with its namespace.
      Object.assign(sb, { netnsPath: sharedWith!.netnsPath, sharedWith: sharedWith!.containerId, hostsPath: sharedWith!.hostsPath, resolvConfPath: sharedWith!.resolvConfPath, hostnamePath: sharedWith!.hostnamePath });
      this.byContainer.set(sb.containerId, sb);
      await this.ctx.store.saveSandbox(sb);
      return sb;
    }
    if (mode !== 'host') sb.netnsPath = join(this.ctx.netnsDir, req.containerId.slice(0, 12));
    const changed = new Set<string>();
    try {
      let routed = false;
      joins.forEach(([net, settings], i) => {
        if (mode === 'bridge') {
          const route = !routed && !net.internal;
          routed ||= route;
          sb.endpoints.push(this.makeEndpoint(net, sb, settings, `eth${i}`, route));
          changed.add(net.id);
        } else {
          sb.endpoints.push({ id: newId(), networkId: net.id, ifName: '', hostVeth: '', ip: '', prefix: 0, gateway: '', mac: '', aliases: [], dnsNames: [], gatewayEndpoint: false });
        }
      });
      sb.embeddedDns = joins.some(([n]) => isUserDefined(n));
      if (sb.netnsPath) {
        const specs = sb.endpoints.filter((ep) => ep.hostVeth).map((ep) => this.spec(ep));
        await createNetns(sb.netnsPath, specs.flatMap((s) => endpointNsScript(s, daemonNetnsPath())));
        await ipBatch(specs.flatMap(endpointHostScript));
      }
      if (mode === 'bridge') {
        const wanted = portRequests(req.portBindings, req.exposedPorts, !!req.publishAll);
        sb.ports = await this.ctx.publisher.publish(sb, wanted);
      }
      this.upstreams.set(sb.containerId, await writeSandboxFiles(sb, this.ctx.hostFiles()));
      this.byContainer.set(sb.containerId, sb);
      if (sb.embeddedDns) await this.ctx.dns.listen(sb.containerId, sb.netnsPath!);
      await this.ctx.store.saveSandbox(sb);
      await this.ctx.saveNetworks(changed);
      if (sb.ports.length) await this.ctx.refreshFirewall();
    } catch (e) {
      await this.teardown(sb).catch(() => undefined);
      throw e;
    }
    return sb;
  }

  /** Undoes everything of a sandbox, tolerating parts that were never made. */
  private async teardown(sb: SandboxRecord): Promise<void> {
    this.byContainer.delete(sb.containerId);
    this.upstreams.delete(sb.containerId);
    await this.ctx.dns.close(sb.containerId);
    const hadPorts = sb.ports.length > 0;
    await this.ctx.publisher.unpublish(sb);
    if (sb.mode !== 'container') {
      const veths = sb.endpoints.filter((e) => e.hostVeth).map((e) => `link del ${e.hostVeth}`);
      // Deleting the host side removes the pair at once; namespace teardown alone is deferred.
      await ipBatch(veths, ['ip', '-force']).catch(() => undefined);
      if (sb.netnsPath) removeNetns(sb.netnsPath);
    }
    const changed = this.releaseEndpoints(sb.endpoints);
    await this.ctx.saveNetworks(changed);
    await this.ctx.store.deleteSandbox(sb.containerId);
    // Files in the container's own directory are the containers service's to remove.
    if (sb.mode !== 'container' && sb.filesDir.startsWith(this.ctx.defaultFilesDir + '/')) {
      rmSync(sb.filesDir, { recursive: true, force: true });
    }
    if (hadPorts) await this.ctx.refreshFirewall();
  }

  /** On stop or remove. A container without a sandbox is fine (never started, or already done). */
  async detach(containerId: string): Promise<void> {
    const sb = this.byContainer.get(containerId);
    if (!sb) return;
    for (const other of this.byContainer.values()) {
      if (other.sharedWith === containerId) { this.byContainer.delete(other.containerId); await this.ctx.store.deleteSandbox(other.containerId); }
    }
    await this.teardown(sb);
  }

  /** `docker network connect` on a running container. */
  async connect(containerId: string, net: NetworkRecord, req: EndpointRequest): Promise<EndpointRecord> {
    const sb = this.byContainer.get(containerId);
    if (!sb) throw notFound('container', containerId);
    if (sb.mode !== 'bridge' || net.driver !== 'bridge') {
      throw new EngineError('forbidden', 'container cannot be disconnected from host network or connected to host network');
    }
    if (sb.endpoints.some((e) => e.networkId === net.id)) {
      throw new EngineError('forbidden', `endpoint with name ${sb.containerName} already exists in network ${net.name}`);
    }
    const used = new Set(sb.endpoints.map((e) => e.ifName));
    let i = 0;
    while (used.has(`eth${i}`)) i++;
    const route = !net.internal && !sb.endpoints.some((e) => e.gatewayEndpoint);
    const ep = this.makeEndpoint(net, sb, req, `eth${i}`, route);
    try {
      const spec = this.spec(ep);
      await ipBatchIn(sb.netnsPath!, endpointNsScript(spec, daemonNetnsPath()));
      await ipBatch(endpointHostScript(spec));
    } catch (e) {
      release(net, ep.ip, ep.id);
      await ipBatch([`link del ${ep.hostVeth}`]).catch(() => undefined);
      throw e;
    }
    sb.endpoints.push(ep);
    if (isUserDefined(net) && !sb.embeddedDns) {
      sb.embeddedDns = true;
      await this.ctx.dns.listen(sb.containerId, sb.netnsPath!);
    }
    await this.ctx.store.saveSandbox(sb);
    await this.ctx.saveNetworks([net.id]);
    return ep;
  }

  /** `docker network disconnect`; returns false when the container has no live sandbox. */
  async disconnect(containerId: string, net: NetworkRecord): Promise<boolean> {
    const sb = this.byContainer.get(containerId);
    if (!sb) return false;
    const idx = sb.endpoints.findIndex((e) => e.networkId === net.id);
    if (idx < 0) throw new EngineError('forbidden', `container ${containerId} is not connected to network ${net.name}`);
    if (sb.mode !== 'bridge') throw new EngineError('forbidden', 'container cannot be disconnected from host network or connected to host network');
    const [ep] = sb.endpoints.splice(idx, 1);
    await ipBatch([`link del ${ep!.hostVeth}`]).catch(() => undefined);
    release(net, ep!.ip, ep!.id);
    if (sb.embeddedDns && !sb.endpoints.some((e) => isUserDefined(this.ctx.table.get(e.networkId)))) {
      sb.embeddedDns = false;
      await this.ctx.dns.close(sb.containerId);
    }
    await this.ctx.store.saveSandbox(sb);
    await this.ctx.saveNetworks([net.id]);
    if (sb.ports.length) await this.ctx.refreshFirewall();
    return true;
  }
}
