/**
 * The volumes row of `/system/df`, in the shape the system service's DiskUsageProvider asks
 * for: counts, total and reclaimable bytes (volumes no container uses), and in verbose mode the
 * volumes themselves with UsageData, as moby's volume disk usage reports them.
 */
import type { VolumesService } from './service.js';

export interface VolumesDiskUsageReport {
  activeCount: number;
  totalCount: number;
  reclaimable: number;
  totalSize: number;
  items: unknown[];
}

export function volumesDiskUsage(volumes: Pick<VolumesService, 'usage'>): {
  diskUsage(opts: { verbose: boolean }): Promise<VolumesDiskUsageReport>;
} {
  return {
    async diskUsage({ verbose }) {
      const list = await volumes.usage();
      let active = 0;
      let total = 0;
      let reclaimable = 0;
      for (const v of list) {
        const size = Math.max(v.UsageData?.Size ?? 0, 0);
        total += size;
        if ((v.UsageData?.RefCount ?? 0) > 0) active++;
        else reclaimable += size;
      }
      return { activeCount: active, totalCount: list.length, reclaimable, totalSize: total, items: verbose ? list : [] };
    },
  };
}
