/**
 * The daemon's network service: the Engine API's /networks verbs and the calls the containers
 * service makes around a container's life. It is thin over the network library
 * (src/network/manager.ts), which owns devices, rules, IPAM, ports and DNS.
 *
 * For the containers service:
 * - `attach(req)` before the container's process starts, with HostConfig.NetworkMode,
 *   NetworkingConfig.EndpointsConfig, PortBindings, ExposedPorts/PublishAllPorts, Dns*,
 *   ExtraHosts, name and hostname. It returns the sandbox: `netnsPath` (add
 *   `{type: "network", path}` to the OCI spec; absent for host mode, where no network namespace
 *   is created), `hostsPath` / `resolvConfPath` / `hostnamePath` (bind-mount them on /etc/…),
 *   endpoints (for NetworkSettings.Networks via `endpointSettings`) and ports (`portMap`).
 *   A failure leaves nothing behind; errors carry Docker's messages (port already allocated…).
 * - `detach(containerId)` after the process has exited (stop, kill, die) and before remove;
 *   idempotent.
 * - `endpointSettings(id)`, `portMap(id, exposed)` for inspect and `docker port`.
 * - `restore()` once at daemon start, before containers are reconciled; then `detach` every
 *   container found dead. `shutdown()` at daemon stop (containers keep their network).
 * The containers service implements `ContainerDirectory` so that network connect/disconnect can
 * find containers and record networks of stopped containers in their configuration.
 */
import { EngineError, invalidArgument, notFound } from '../../common/errors.js';
import type { NetworkManager } from '../../network/manager.js';
import type { CreateNetworkRequest } from '../../network/networks.js';
import type { AttachRequest, EndpointRequest } from '../../network/sandboxes.js';
import type { NetworkRecord, SandboxRecord } from '../../network/types.js';
import { toEndpointSettings, toNetworkApi, toPortMap } from './convert.js';
import type { NetworkApi } from './convert.js';
import type { EndpointSettings, NetworkCreateResponse } from '../../api/types/generated.js';
import { matchNetwork, parseFilters } from './filters.js';

export type { AttachRequest, EndpointRequest } from '../../network/sandboxes.js';
export type { SandboxRecord } from '../../network/types.js';

export interface ContainerRef {
  id: string;
  name: string;
  running: boolean;
}

/** Implemented by the containers service. */
export interface ContainerDirectory {
  /** Full id, name (with or without "/"), or unique id prefix; undefined when unknown. */
  find(idOrName: string): ContainerRef | undefined;
  /** Stores the network in the container's NetworkingConfig, joined at its next start. */
  recordConnect(containerId: string, network: NetworkRecord, settings: EndpointRequest): Promise<void>;
  recordDisconnect(containerId: string, network: NetworkRecord): Promise<void>;
}

export const LIST_FILTERS = ['dangling', 'driver', 'id', 'label', 'name', 'scope', 'type'] as const;
export const PRUNE_FILTERS = ['until', 'label', 'label!'] as const;

export class NetworkService {
  private containers: ContainerDirectory | undefined;

  constructor(readonly manager: NetworkManager, containers?: ContainerDirectory) {
    this.containers = containers;
  }

  /** The containers service is built after this one; the composition root wires it in. */
  setContainerDirectory(dir: ContainerDirectory): void {
    this.containers = dir;
  }

  private inUse(n: NetworkRecord): boolean {
    return this.manager.sandboxes.endpointsOn(n.id).length > 0;
  }

  list(filters: string | null): NetworkApi[] {
    const f = parseFilters(filters, LIST_FILTERS);
    for (const t of f.get('type') ?? []) if (t !== 'custom' && t !== 'builtin') throw invalidArgument(`invalid filter: 'type'='${t}'`);
    return this.manager.table.all()
      .filter((n) => matchNetwork(f, n, this.inUse(n)))
      .sort((a, b) => a.created.localeCompare(b.created))
      .map((n) => toNetworkApi(n, undefined));
  }

  inspect(idOrName: string): NetworkApi {
    const n = this.manager.table.get(idOrName);
    return toNetworkApi(n, this.manager.sandboxes.endpointsOn(n.id));
  }

  async create(req: CreateNetworkRequest): Promise<NetworkCreateResponse> {
    const n = await this.manager.createNetwork(req);
    return { Id: n.id, Warning: '' };
  }

  async remove(idOrName: string): Promise<void> {
    await this.manager.removeNetwork(idOrName);
  }

  private container(idOrName: string): ContainerRef {
    if (!this.containers) throw new EngineError('unavailable', 'the containers service is not available');
    const c = this.containers.find(idOrName);
    if (!c) throw notFound('container', idOrName);
    return c;
  }

  async connect(network: string, container: string, settings: EndpointRequest): Promise<void> {
    const n = this.manager.table.get(network);
    const c = this.container(container);
    if (c.running) await this.manager.connect(c.id, n.id, settings);
    await this.containers!.recordConnect(c.id, n, settings);
  }

  async disconnect(network: string, container: string, force: boolean): Promise<void> {
    const n = this.manager.table.get(network);
    let c: ContainerRef;
    try {
      c = this.container(container);
    } catch (e) {
      // Docker's --force removes the endpoint of a container that no longer exists.
      const gone = force ? this.manager.sandboxes.endpointsOn(n.id).find(({ sb }) => sb.containerId.startsWith(container) || sb.containerName === container) : undefined;
      if (!gone) throw e;
      await this.manager.disconnect(gone.sb.containerId, n.id);
      return;
    }
    if (c.running) await this.manager.disconnect(c.id, n.id);
    await this.containers!.recordDisconnect(c.id, n);
  }

  async prune(filters: string | null): Promise<{ NetworksDeleted: string[] }> {
    const f = parseFilters(filters, PRUNE_FILTERS);
    const deleted: string[] = [];
    for (const n of this.manager.table.all()) {
      if (n.predefined || this.inUse(n) || !matchNetwork(f, n, false)) continue;
      try {
        await this.manager.removeNetwork(n.id);
        deleted.push(n.name);
      } catch { /* raced with a connect: keep it, as Docker does */ }
    }
    return { NetworksDeleted: deleted };
  }

  // ---- for the containers service ----

  attach(req: AttachRequest): Promise<SandboxRecord> {
    return this.manager.attach(req);
  }

  detach(containerId: string): Promise<void> {
    return this.manager.detach(containerId);
  }

  sandbox(containerId: string): SandboxRecord | undefined {
    return this.manager.sandboxes.get(containerId);
  }

  /** NetworkSettings.Networks, keyed by network name. */
  endpointSettings(containerId: string): Record<string, EndpointSettings> {
    const out: Record<string, EndpointSettings> = {};
    for (const ep of this.sandbox(containerId)?.endpoints ?? []) {
      const n = this.manager.table.lookup(ep.networkId);
      if (n) out[n.name] = toEndpointSettings(n, ep);
    }
    return out;
  }

  portMap(containerId: string, exposed?: Record<string, unknown>): ReturnType<typeof toPortMap> {
    return toPortMap(this.sandbox(containerId), exposed);
  }

  /** The network a name refers to (for validating HostConfig.NetworkMode at container create). */
  network(idOrName: string): NetworkRecord {
    return this.manager.table.get(idOrName);
  }

  restore(): Promise<void> {
    return this.manager.init();
  }

  shutdown(): Promise<void> {
    return this.manager.shutdown();
  }
}
