/**
 * Adapters the composition root uses to give the containers service its role interfaces from
 * the services that implement them: tasks (the shim client), images, networking.
 */
import type { Readable } from 'node:stream';
import type { ShimTaskService, Task, AttachStream as ShimAttach, ExecProcess } from '../containerd/tasks/index.js';
import type { ImagesService } from '../services/images/index.js';
import type { NetworkService } from '../services/networks/index.js';
import type {
  AttachStream, ContainerNetworking, ExecHandle, ExitStatus, ImageSource, TaskHandle, Tasks,
} from '../services/containers/deps.js';
import type { ContainerRecord, EndpointRecord } from '../services/containers/record.js';
import { familiarString, parseNormalizedNamed } from '../registry/reference/index.js';

function exit(st: { exitCode: number; exitedAt: Date }): ExitStatus {
  return { exitCode: st.exitCode, exitedAt: st.exitedAt.toISOString() };
}

/** Merges a shim attach's stdout and stderr into one ordered stream of chunks. */
function attachStream(a: ShimAttach): AttachStream {
  const queue: { stream: 1 | 2; data: Buffer }[] = [];
  let waiting: (() => void) | undefined;
  let open = (a.stdout ? 1 : 0) + (a.stderr ? 1 : 0);
  const wake = () => { const w = waiting; waiting = undefined; w?.(); };
  const feed = (r: Readable | null, stream: 1 | 2) => {
    if (!r) return;
    r.on('data', (d: Buffer) => { queue.push({ stream, data: d }); wake(); });
    r.on('close', () => { open--; wake(); });
    r.on('error', () => undefined);
  };
  feed(a.stdout, 1);
  feed(a.stderr, 2);
  return {
    output: {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          while (queue.length) yield queue.shift()!;
          if (open <= 0) return;
          await new Promise<void>((r) => { waiting = r; });
        }
      },
    },
    write: (d) => { a.stdin?.write(d); },
    closeStdin: () => a.closeStdin(),
    close: () => a.close(),
  };
}

function execHandle(p: ExecProcess): ExecHandle {
  return {
    pid: p.pid,
    wait: async () => exit(await p.wait()),
    attach: async ({ stdin }) => attachStream(p.stream ?? await p.attach({ stdin, stdout: true, stderr: true })),
    resize: (r, c) => p.resize(r, c),
  };
}

function taskHandle(t: Task): TaskHandle {
  return {
    pid: t.pid,
    start: () => t.start(),
    wait: async () => exit(await t.wait()),
    kill: (s) => t.kill(s),
    attach: async ({ stdin }) => attachStream(await t.attach({ stdin, stdout: true, stderr: true })),
    resize: (r, c) => t.resize(r, c),
    exec: async (id, planFile, o) => execHandle(await t.exec(id, planFile, { ...o, attach: { stdin: o.stdin, stdout: true, stderr: true } })),
    shutdown: () => t.shutdown(),
  };
}

export function tasksAdapter(shims: ShimTaskService): Tasks {
  return {
    create: async (o) => taskHandle(await shims.create({ ...o, startNow: false })),
    async load(id, dir) {
      const t = await shims.load(id, dir);
      if (!t) return undefined;
      const st = await t.state();
      return { task: taskHandle(t), exited: st.status === 'stopped' && st.exit ? exit(st.exit) : undefined };
    },
  };
}

export function imagesAdapter(images: ImagesService): ImageSource {
  return {
    async resolve(ref) {
      const v = images.get(ref);
      return { id: v.id, config: v.config.config as never };
    },
    async prepareRootfs(ref, key) {
      await images.prepareRootfs(ref, key, { 'skiff.container': key });
    },
    size(imageId) {
      try {
        return images.get(imageId).size;
      } catch {
        return 0; // the image is gone
      }
    },
    displayName(imageId, asGiven) {
      try {
        const v = images.get(asGiven);
        if (v.id === imageId) return asGiven;
      } catch { /* the name moved or is gone */ }
      try {
        const v = images.get(imageId);
        const tag = v.repoTags[0];
        if (tag) return tag;
      } catch { /* image removed */ }
      return imageId;
    },
  };
}

export function networkingAdapter(net: NetworkService, dirOf: (id: string) => string, fullId: (ref: string) => string): ContainerNetworking {
  return {
    async attach(rec, nc) {
      const hc = rec.HostConfig;
      let mode = hc.NetworkMode || 'bridge';
      if (mode.startsWith('container:')) mode = `container:${fullId(mode.slice(10))}`;
      const endpoints: Record<string, { ipv4Address?: string; aliases?: string[]; macAddress?: string }> = {};
      for (const [key, e] of Object.entries(nc?.EndpointsConfig ?? {})) {
        // The docker CLI names the --network (or default) network "default".
        const name = key === 'default' ? (mode === 'default' ? 'bridge' : mode) : key;
        if (name === 'host' || name === 'none' || name.startsWith('container:')) continue;
        endpoints[name] = {
          ...(e?.IPAMConfig?.IPv4Address ? { ipv4Address: e.IPAMConfig.IPv4Address } : {}),
          ...(e?.Aliases?.length ? { aliases: e.Aliases } : {}),
          ...(e?.MacAddress ? { macAddress: e.MacAddress } : {}),
        };
      }
      const sb = await net.attach({
        containerId: rec.Id, name: rec.Name.slice(1), hostname: rec.Config.Hostname ?? rec.Id.slice(0, 12),
        domainname: rec.Config.Domainname ?? undefined, networkMode: mode, endpoints,
        dns: hc.Dns ?? undefined, dnsSearch: hc.DnsSearch ?? undefined, dnsOptions: hc.DnsOptions ?? undefined,
        extraHosts: hc.ExtraHosts ?? undefined, portBindings: (hc.PortBindings ?? undefined) as never,
        exposedPorts: rec.Config.ExposedPorts ?? undefined, publishAll: hc.PublishAllPorts === true, filesDir: dirOf(rec.Id),
      });
      const eps: Record<string, EndpointRecord> = {};
      for (const [name, s] of Object.entries(net.endpointSettings(rec.Id))) {
        eps[name] = {
          NetworkID: s.NetworkID ?? '', EndpointID: s.EndpointID ?? '', Gateway: s.Gateway ?? '', IPAddress: s.IPAddress ?? '',
          IPPrefixLen: s.IPPrefixLen ?? 0, MacAddress: s.MacAddress ?? '', Aliases: s.Aliases ?? undefined, DNSNames: s.DNSNames ?? undefined,
        };
      }
      return {
        netns: sb.netnsPath ?? (mode === 'host' ? 'host' : undefined),
        hosts: sb.hostsPath, hostname: sb.hostnamePath, resolvConf: sb.resolvConfPath,
        endpoints: eps,
        ports: net.portMap(rec.Id, rec.Config.ExposedPorts ?? undefined) as ContainerRecord['Ports'],
      };
    },
    detach: (rec) => net.detach(rec.Id),
  };
}

export function imageRefMatches(images: ImagesService, ref: string): Set<string> {
  try {
    return new Set([images.get(ref).id]);
  } catch {
    try {
      const n = familiarString(parseNormalizedNamed(ref));
      return new Set([images.get(n).id]);
    } catch {
      return new Set();
    }
  }
}
