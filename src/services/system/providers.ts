/**
 * The small interfaces through which the system service learns what other services own:
 * container counts, image counts, disk usage. The composition root wires real providers as the
 * services arrive; until then the no-op defaults report zero, so /info and /system/df answer.
 */

export interface ContainerCounts {
  running: number;
  paused: number;
  stopped: number;
}

export interface ContainerCountsProvider {
  containerCounts(): Promise<ContainerCounts>;
}

export interface ImageCountProvider {
  imageCount(): Promise<number>;
}

/** One category of /system/df (images, containers, volumes, build cache). */
export interface DiskUsageReport {
  activeCount: number;
  totalCount: number;
  /** Bytes that pruning would free. */
  reclaimable: number;
  totalSize: number;
  /** API-shaped summaries (ImageSummary, ContainerSummary, Volume, BuildCache), verbose only. */
  items: unknown[];
}

export interface DiskUsageProvider {
  diskUsage(opts: { verbose: boolean }): Promise<DiskUsageReport>;
}

export type DiskUsageKind = 'images' | 'containers' | 'volumes' | 'buildCache';

export const NO_CONTAINERS: ContainerCountsProvider = {
  async containerCounts() {
    return { running: 0, paused: 0, stopped: 0 };
  },
};

export const NO_IMAGES: ImageCountProvider = {
  async imageCount() {
    return 0;
  },
};

export const EMPTY_USAGE: DiskUsageProvider = {
  async diskUsage() {
    return { activeCount: 0, totalCount: 0, reclaimable: 0, totalSize: 0, items: [] };
  },
};
