/**
 * A container is a record (its configuration and last known state); the running process is a
 * task held by the shim. This is the record as persisted under containers/<id>/ and served by
 * inspect and list.
 */
import type { ContainerConfig, HostConfig, MountPoint, NetworkingConfig } from '../../api/types/generated.js';

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface HealthLog { Start: string; End: string; ExitCode: number; Output: string }

export interface ContainerStateRecord {
  Status: ContainerStatus;
  Pid: number;
  ExitCode: number;
  Error: string;
  OOMKilled: boolean;
  StartedAt: string;
  FinishedAt: string;
  Health?: { Status: 'starting' | 'healthy' | 'unhealthy' | 'none'; FailingStreak: number; Log: HealthLog[] };
}

export interface EndpointRecord {
  NetworkID: string;
  EndpointID: string;
  Gateway: string;
  IPAddress: string;
  IPPrefixLen: number;
  MacAddress: string;
  Aliases?: string[];
  DNSNames?: string[];
}

export interface ContainerRecord {
  Id: string;
  Name: string;
  Created: string;
  Path: string;
  Args: string[];
  Config: ContainerConfig;
  HostConfig: HostConfig;
  /** The image ID (config digest). */
  Image: string;
  State: ContainerStateRecord;
  RestartCount: number;
  LogPath: string;
  MountPoints: MountPoint[];
  Networks: Record<string, EndpointRecord>;
  Ports: Record<string, { HostIp: string; HostPort: string }[] | null>;
  /** The snapshot key of the container's rootfs. */
  SnapshotKey: string;
  HasBeenStartedBefore: boolean;
  HasBeenManuallyStopped: boolean;
  /** Anonymous volumes created for this container (removed with `--rm` / `rm -v`). */
  AnonymousVolumes: string[];
  ExecIDs: string[];
  /** Networks to join at start beyond the NetworkMode one (`--network` + `network connect`). */
  NetworkingConfig?: NetworkingConfig;
}

export function isRunning(r: ContainerRecord): boolean {
  return r.State.Status === 'running' || r.State.Status === 'paused' || r.State.Status === 'restarting';
}
