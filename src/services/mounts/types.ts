/**
 * Mount shapes: what clients send (`HostConfig.Mounts` entries, Docker's `mount.Mount`), what a
 * container keeps once its mounts are resolved (`MountPoint`, persisted with the container, as
 * moby's MountPoint), and what `docker inspect` shows (`InspectMount`).
 */

export type MountType = 'bind' | 'volume' | 'tmpfs';

export interface BindOptions {
  Propagation?: string;
  NonRecursive?: boolean;
  CreateMountpoint?: boolean;
  ReadOnlyNonRecursive?: boolean;
  ReadOnlyForceRecursive?: boolean;
}

export interface VolumeOptions {
  NoCopy?: boolean;
  Labels?: Record<string, string> | null;
  DriverConfig?: { Name?: string; Options?: Record<string, string> | null } | null;
  Subpath?: string;
}

export interface TmpfsOptions {
  SizeBytes?: number;
  Mode?: number;
  /** Extra options as [name] or [name, value] pairs; only exec/noexec are accepted. */
  Options?: string[][] | null;
}

/** One `HostConfig.Mounts` entry (`--mount`). */
export interface ApiMount {
  Type?: string;
  Source?: string;
  Target?: string;
  ReadOnly?: boolean;
  Consistency?: string;
  BindOptions?: BindOptions | null;
  VolumeOptions?: VolumeOptions | null;
  TmpfsOptions?: TmpfsOptions | null;
  ImageOptions?: unknown;
  ClusterOptions?: unknown;
}

/** A resolved mount of a container, persisted with it. */
export interface MountPoint {
  Type: MountType;
  /** Host path: the bind source, or the volume's `_data`; '' for tmpfs. */
  Source: string;
  Destination: string;
  RW: boolean;
  /** Volume name ('' for binds and tmpfs). */
  Name: string;
  Driver: string;
  /** The mode string as the user wrote it (`ro,z`); `z` for local named volumes given none. */
  Mode: string;
  Propagation: string;
  /** Copy the image's content into the volume when it is empty (volumes only). */
  CopyData: boolean;
  /** The request this mount came from. */
  Spec: ApiMount;
  /** `--mount type=bind` sources must exist; `-v` sources are created at start. */
  SkipMountpointCreation?: boolean;
  /** tmpfs mount data (`size=65536k,mode=1777`). */
  Data?: string;
  /** A `HostConfig.Tmpfs` entry: Docker keeps those out of the inspect `Mounts`. */
  FromTmpfsMap?: boolean;
  /** An anonymous volume made for this container (removed with it under `--rm`). */
  Anonymous?: boolean;
}

/** One entry of `docker inspect`'s `Mounts` (Docker's container.MountPoint). */
export interface InspectMount {
  Type: MountType;
  Name?: string;
  Source: string;
  Destination: string;
  Driver?: string;
  Mode: string;
  RW: boolean;
  Propagation: string;
}
