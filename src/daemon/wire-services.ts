/**
 * Construction of the resource services (images, volumes, networks, containers, exec) from the
 * daemon config, and how they are wired to one another: the containers service uses images,
 * snapshots, tasks, networking and mounts; images and volumes ask containers what is in use.
 */
import { join } from 'node:path';
import { nativeBinary } from '../common/paths.js';
import { imageRoutes } from '../api/routes/images.js';
import { distributionRoutes } from '../api/routes/distribution.js';
import { authRoutes } from '../api/routes/auth.js';
import { volumeRoutes } from '../api/routes/volumes.js';
import { networkRoutes } from '../api/routes/networks.js';
import { containerRoutes } from '../api/routes/containers.js';
import { commitRoutes } from '../api/routes/commit.js';
import { containerIoRoutes } from '../api/routes/container-io.js';
import { buildRoutes } from '../api/routes/build.js';
import { BuilderService } from '../services/builder/index.js';
import { containerExtraRoutes } from '../api/routes/container-extra.js';
import { ShimTaskService } from '../containerd/tasks/index.js';
import { NetworkManager } from '../network/manager.js';
import { detectCgroupLayout } from '../runtime/cgroups/index.js';
import { ImagesService, openImageStores, registryClientFromConfig } from '../services/images/index.js';
import { NetworkService } from '../services/networks/index.js';
import { VolumesService, volumesDiskUsage } from '../services/volumes/index.js';
import { containerMounts } from '../services/mounts/container-mounts.js';
import { ContainersService } from '../services/containers/service.js';
import { ExecService } from '../services/containers/exec.js';
import { restoreContainers, stopAllContainers } from '../services/containers/restore.js';
import { isRunning } from '../services/containers/record.js';
import { containerSizes, listContainers } from '../services/containers/queries.js';
import type { EventsService } from '../services/events/index.js';
import type { SystemService } from '../services/system/index.js';
import { imageRefMatches, imagesAdapter, networkingAdapter, tasksAdapter } from './container-adapters.js';
import type { ServiceModule, WireContext } from './wire.js';

export interface ResourceServices {
  images: ServiceModule<ImagesService>;
  volumes: ServiceModule<VolumesService>;
  networks: ServiceModule<NetworkService>;
  containers: ServiceModule<ContainersService>;
  builder: ServiceModule<BuilderService>;
}

export async function buildResourceServices(ctx: WireContext, events: EventsService, system: SystemService): Promise<ResourceServices> {
  const cfg = ctx.config();
  const stores = await openImageStores(cfg.dataRoot, cfg.storageDriver);
  const images = await ImagesService.open({
    dataRoot: cfg.dataRoot,
    ...stores,
    registry: registryClientFromConfig({ registryMirrors: cfg.registryMirrors, insecureRegistries: cfg.insecureRegistries }),
    maxConcurrentDownloads: cfg.maxConcurrentDownloads,
    maxConcurrentUploads: cfg.maxConcurrentUploads,
    onEvent: (e) => events.log('image', e.action, { ID: e.id, Attributes: e.name ? { name: e.name } : {} }),
  });
  const volumes = await VolumesService.open({
    dataRoot: cfg.dataRoot,
    onEvent: (action, name, attrs) => events.log('volume', action, { ID: name, Attributes: attrs }),
  });
  const manager = new NetworkManager({
    dataRoot: cfg.dataRoot,
    execRoot: cfg.execRoot,
    bip: cfg.bip || undefined,
    defaultAddressPools: cfg.defaultAddressPools.length ? cfg.defaultAddressPools : undefined,
    mtu: cfg.mtu || undefined,
    icc: cfg.icc,
    firewall: !cfg.iptables ? 'none' : process.env.SKIFF_FIREWALL === 'iptables' ? 'iptables' : 'auto',
    bridgeName: process.env.SKIFF_BRIDGE_NAME || undefined,
    table: process.env.SKIFF_NFT_TABLE || undefined,
  });
  const networks = new NetworkService(manager);
  await networks.restore();

  let containers!: ContainersService;
  containers = new ContainersService({
    dataRoot: cfg.dataRoot,
    execRoot: cfg.execRoot,
    images: imagesAdapter(images),
    snapshots: stores.snapshotter,
    tasks: tasksAdapter(new ShimTaskService()),
    networking: networkingAdapter(networks, (id) => join(cfg.dataRoot, 'containers', id), (ref) => containers.get(ref).Id),
    mounts: containerMounts({ volumes, containers: { mountPointsOf: (ref: string) => containers.get(ref).MountPoints } as never }),
    events: { emit: (type, action, id, attributes) => events.log(type, action, { ID: id, Attributes: attributes }) },
    cgroups: detectCgroupLayout(),
    cgroupParent: process.env.SKIFF_CGROUP_PARENT || '/skiff',
    logDriver: { type: cfg.logDriver || 'json-file', config: cfg.logOpts },
    liveRestore: cfg.liveRestore,
    init: { default: cfg.init, binary: cfg.initPath || nativeBinary('skiff-tini') },
    log: (level, msg) => ctx.logger[level](msg),
  });
  const execs = new ExecService(containers);
  images.setUsage(containers);
  volumes.setUsage({ containersUsing: (name) => containers.store.all().filter((r) => r.MountPoints.some((m) => m.Type === 'volume' && m.Name === name)).map((r) => r.Id) });
  networks.setContainerDirectory({
    find: (ref) => {
      const r = containers.store.find(ref);
      return r ? { id: r.Id, name: r.Name.slice(1), running: isRunning(r) } : undefined;
    },
    recordConnect: async (id, n, settings) => {
      const r = containers.get(id);
      r.NetworkingConfig = { EndpointsConfig: { ...(r.NetworkingConfig?.EndpointsConfig ?? {}), [n.name]: { Aliases: settings.aliases, IPAMConfig: settings.ipv4Address ? { IPv4Address: settings.ipv4Address } : undefined } } };
      await containers.store.save(r);
    },
    recordDisconnect: async (id, n) => {
      const r = containers.get(id);
      const eps = { ...(r.NetworkingConfig?.EndpointsConfig ?? {}) };
      delete eps[n.name];
      r.NetworkingConfig = { EndpointsConfig: eps };
      delete r.Networks[n.name];
      await containers.store.save(r);
    },
  });
  system.setProviders({
    firewallDriver: () => (manager.firewallKind === 'none' ? '' : manager.firewallKind),
    containers: {
      async containerCounts() {
        const all = containers.store.all();
        const running = all.filter((r) => r.State.Status === 'running' || r.State.Status === 'restarting').length;
        const paused = all.filter((r) => r.State.Status === 'paused').length;
        return { running, paused, stopped: all.length - running - paused };
      },
    },
    images: { imageCount: async () => images.list({ filters: new Map(), version: '1.56' }).length },
    diskUsage: {
      volumes: volumesDiskUsage(volumes),
      images: {
        async diskUsage() {
          const items = images.list({ filters: new Map(), version: '1.56', sharedSize: true }).map((i) => ({ ...i, Containers: containers.containersUsing(i.Id).length }));
          const total = items.reduce((a, i) => a + i.Size, 0);
          const unused = items.filter((i) => i.Containers === 0).reduce((a, i) => a + i.Size, 0);
          return { activeCount: items.filter((i) => i.Containers > 0).length, totalCount: items.length, reclaimable: unused, totalSize: total, items };
        },
      },
      containers: {
        async diskUsage() {
          const items = [];
          for (const s of listContainers(containers, { all: true, filters: null, size: false }, () => new Set())) {
            items.push({ ...s, ...await containerSizes(containers, containers.store.get(s.Id!)) });
          }
          const running = items.filter((i) => i.State === 'running' || i.State === 'paused');
          const total = items.reduce((a, i) => a + i.SizeRw, 0);
          return { activeCount: running.length, totalCount: items.length, reclaimable: total - running.reduce((a, i) => a + i.SizeRw, 0), totalSize: total, items };
        },
      },
    },
  });
  await restoreContainers(containers, (msg) => ctx.logger.info(msg));
  const builder = new BuilderService({ dataRoot: cfg.dataRoot, images, containers, snapshotter: stores.snapshotter });

  return {
    images: { service: images, routes: [...imageRoutes(images), ...distributionRoutes(images), ...authRoutes(images)], shutdown: async () => undefined },
    volumes: { service: volumes, routes: volumeRoutes(volumes), shutdown: async () => undefined },
    networks: { service: networks, routes: networkRoutes(networks), shutdown: () => networks.shutdown() },
    containers: {
      service: containers,
      routes: [
        ...containerRoutes({ containers, imageIds: (ref) => imageRefMatches(images, ref) }),
        ...containerIoRoutes({ containers, execs }),
        ...commitRoutes({ containers, images }),
        ...containerExtraRoutes({ containers }),
      ],
      shutdown: () => stopAllContainers(containers, ctx.config().liveRestore, (msg) => ctx.logger.info(msg)),
    },
    builder: { service: builder, routes: buildRoutes(builder), shutdown: async () => undefined },
  };
}
