/**
 * The volume records the volumes service keeps and the Engine API shapes it returns. A volume is
 * a directory (`<data-root>/volumes/<name>/_data`) plus metadata; whether a container uses it is
 * the containers service's knowledge, asked through the small `VolumeUsage` role interface.
 */

/** The label Docker puts on volumes created without a name. */
export const ANONYMOUS_LABEL = 'com.docker.volume.anonymous';

/** The only driver built in; anything else is looked up as a plugin, which we do not have. */
export const LOCAL_DRIVER = 'local';

/** A volume as `GET /volumes/{name}` returns it (Docker's `volume.Volume`). */
export interface Volume {
  Name: string;
  Driver: string;
  Mountpoint: string;
  CreatedAt: string;
  Status?: Record<string, unknown>;
  Labels: Record<string, string> | null;
  Scope: 'local';
  Options: Record<string, string> | null;
  /** Only filled by `usage()` (system df): Size -1 when it could not be measured. */
  UsageData?: { Size: number; RefCount: number };
}

/** `POST /volumes/create` body (Docker's `volume.CreateOptions`). */
export interface CreateVolumeRequest {
  Name?: string;
  Driver?: string;
  DriverOpts?: Record<string, string> | null;
  Labels?: Record<string, string> | null;
}

export interface PruneReport {
  VolumesDeleted: string[];
  SpaceReclaimed: number;
}

/**
 * Which containers use a volume. The containers service implements it; until it exists the
 * daemon wires `noVolumeUsage`. Ids are full container ids, as in Docker's in-use message.
 */
export interface VolumeUsage {
  containersUsing(name: string): string[];
}

export const noVolumeUsage: VolumeUsage = { containersUsing: () => [] };

/** What is persisted in `<data-root>/volumes/<name>/volume.json`. */
export interface VolumeRecord {
  Name: string;
  Driver: string;
  Labels: Record<string, string> | null;
  /** The DriverOpts as given, shown back as `Options` (Docker keeps them verbatim). */
  Options: Record<string, string> | null;
  /** ISO-8601 creation time. */
  CreatedAt: string;
  /** The container an anonymous volume was made for, so `--rm` can remove it. */
  CreatedFor?: string;
  /**
   * References (container ids) holding a mount of a volume with mount options. Persisted so a
   * restarted daemon still knows the device is in use and when to unmount it.
   */
  MountRefs: string[];
}
