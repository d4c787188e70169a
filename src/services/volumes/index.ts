/** The volumes service and what its callers (API routes, containers, system df) need of it. */
export { VolumesService } from './service.js';
export type { VolumesServiceOptions, VolumeEventAction } from './service.js';
export { ANONYMOUS_LABEL, LOCAL_DRIVER, noVolumeUsage } from './types.js';
export type { CreateVolumeRequest, PruneReport, Volume, VolumeRecord, VolumeUsage } from './types.js';
export type { Filters } from './filters.js';
export { nameProblem, validateVolumeName, rfc3339 } from './names.js';
export { localOptionsProblem } from './local-options.js';
export { directorySize } from './usage.js';
export { copyUp } from './copy-up.js';
export { volumesDiskUsage } from './disk-usage.js';
export type { VolumesDiskUsageReport } from './disk-usage.js';
