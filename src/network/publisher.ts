/**
 * Publishing a container's ports: host ports are allocated (explicit ones must be free in
 * skiff's books, random ones come from the ephemeral range), then a userland proxy binds each,
 * which both serves loopback clients and proves no other program holds the port. DNAT rules for
 * the same mappings come from the firewall state the manager derives from sandbox records.
 * Failures release everything this call took, with Docker's messages.
 */
import { EngineError, conflict } from '../common/errors.js';
import { PortAllocator } from './port-allocator.js';
import { startProxy } from './proxy.js';
import type { Proxy } from './proxy.js';
import type { PortRequest } from './port-spec.js';
import type { PortMapping, SandboxRecord } from './types.js';

const RANDOM_RETRIES = 20;

export class PortPublisher {
  private readonly proxies = new Map<string, Proxy[]>();

  constructor(private readonly allocator: PortAllocator, private readonly defaultHostIp: (sb: SandboxRecord) => string) {}

  /** The address published ports forward to: the container's gateway endpoint. */
  static containerIp(sb: SandboxRecord): string | undefined {
    return (sb.endpoints.find((e) => e.gatewayEndpoint) ?? sb.endpoints.find((e) => e.ip))?.ip || undefined;
  }

  private prefix(sb: SandboxRecord): string {
    const ep = sb.endpoints.find((e) => e.gatewayEndpoint) ?? sb.endpoints[0];
    return `driver failed programming external connectivity on endpoint ${sb.containerName} (${ep?.id ?? ''})`;
  }

  private async bindOne(sb: SandboxRecord, cip: string, m: PortMapping): Promise<Proxy> {
    return startProxy({ ...m, containerIp: cip });
  }

  async publish(sb: SandboxRecord, wanted: PortRequest[]): Promise<PortMapping[]> {
    const cip = PortPublisher.containerIp(sb);
    if (!cip || wanted.length === 0) return [];
    const done: PortMapping[] = [];
    const proxies: Proxy[] = [];
    this.proxies.set(sb.containerId, proxies);
    try {
      for (const w of wanted) {
        const hostIp = w.hostIp || this.defaultHostIp(sb);
        const explicit = w.hostRange[0] !== 0 && w.hostRange[0] === w.hostRange[1];
        const tried = new Set<number>();
        for (let attempt = 0; ; attempt++) {
          let port: number;
          try {
            if (explicit) { port = w.hostRange[0]; this.allocator.reserve(w.proto, hostIp, port); }
            else port = this.allocator.reserveAny(w.proto, hostIp, w.hostRange[0], w.hostRange[1], tried);
          } catch (e) {
            throw e instanceof EngineError ? new EngineError(e.kind, `${this.prefix(sb)}: ${e.message}`) : e;
          }
          const m: PortMapping = { proto: w.proto, containerPort: w.containerPort, hostIp, hostPort: port };
          try {
            if (w.proto !== 'sctp') proxies.push(await this.bindOne(sb, cip, m));
            done.push(m);
            break;
          } catch (e) {
            this.allocator.release(w.proto, hostIp, port);
            const code = (e as NodeJS.ErrnoException).code;
            if (code === 'EADDRINUSE' && !explicit && attempt < RANDOM_RETRIES) { tried.add(port); continue; }
            const fam = hostIp.includes(':') ? '6' : '4';
            const why = code === 'EADDRINUSE' ? 'bind: address already in use' : (e as Error).message;
            throw conflict(`${this.prefix(sb)}: Error starting userland proxy: listen ${w.proto}${fam} ${hostIp}:${port}: ${why}`);
          }
        }
      }
    } catch (e) {
      await this.stop(sb.containerId);
      for (const m of done) this.allocator.release(m.proto, m.hostIp, m.hostPort);
      throw e;
    }
    return done;
  }

  private async stop(containerId: string): Promise<void> {
    const list = this.proxies.get(containerId) ?? [];
    this.proxies.delete(containerId);
    await Promise.all(list.map((p) => p.close()));
  }

  async unpublish(sb: SandboxRecord): Promise<void> {
    await this.stop(sb.containerId);
    for (const m of sb.ports) this.allocator.release(m.proto, m.hostIp, m.hostPort);
  }

  /** After a daemon restart: take the recorded ports again and restart their proxies. */
  async restore(sb: SandboxRecord): Promise<string[]> {
    const errors: string[] = [];
    const cip = PortPublisher.containerIp(sb);
    const proxies: Proxy[] = [];
    this.proxies.set(sb.containerId, proxies);
    for (const m of sb.ports) {
      try {
        this.allocator.reserve(m.proto, m.hostIp, m.hostPort);
        if (cip && m.proto !== 'sctp') proxies.push(await this.bindOne(sb, cip, m));
      } catch (e) {
        errors.push(`${m.hostIp}:${m.hostPort}/${m.proto}: ${(e as Error).message}`);
      }
    }
    return errors;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.proxies.keys()].map((id) => this.stop(id)));
  }
}
