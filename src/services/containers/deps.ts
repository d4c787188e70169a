/**
 * What the containers service needs from the rest of the daemon, as small role interfaces the
 * composition root wires: images (resolve a reference to an id, its config and top layer),
 * the snapshotter (the container's writable rootfs), tasks (the shim), networking, mounts and
 * volumes, events. Optional ones (networking, mounts) fall back to none/no extra mounts.
 */
import type { ContainerConfig, HostConfig, MountPoint, NetworkingConfig } from '../../api/types/generated.js';
import type { Mount } from '../../oci/runtime-spec.js';
import type { Snapshotter } from '../../containerd/snapshots/index.js';
import type { CgroupLayout } from '../../runtime/cgroups/index.js';
import type { ImageRunConfigLike } from './create-config.js';
import type { ContainerRecord, EndpointRecord } from './record.js';

export interface ResolvedImage {
  id: string;
  config: ImageRunConfigLike | undefined;
}

export interface ImageSource {
  resolve(ref: string): Promise<ResolvedImage>;
  /** Prepares the container's writable snapshot `key` on top of the image (unpacking it if needed). */
  prepareRootfs(ref: string, key: string): Promise<void>;
  /** What `docker ps` shows in IMAGE for a container created from `asGiven`. */
  displayName(imageId: string, asGiven: string): string;
  /** The image's size in bytes (0 when it is gone): a container's SizeRootFs adds it. */
  size?(imageId: string): number;
}

export interface ExitStatus { exitCode: number; signal?: number; exitedAt: string }

export interface AttachStream {
  /** Container output: chunks with their stream (1 stdout, 2 stderr); ends when the container exits or the attach is closed. */
  output: AsyncIterable<{ stream: 1 | 2; data: Buffer }>;
  write(data: Buffer): void;
  closeStdin(): void;
  close(): void;
}

export interface ExecHandle {
  readonly pid: number;
  wait(): Promise<ExitStatus>;
  attach(opts: { stdin: boolean }): Promise<AttachStream>;
  resize(rows: number, cols: number): Promise<void>;
}

export interface TaskHandle {
  readonly pid: number;
  start(): Promise<void>;
  wait(): Promise<ExitStatus>;
  kill(signal: number): Promise<void>;
  attach(opts: { stdin: boolean }): Promise<AttachStream>;
  resize(rows: number, cols: number): Promise<void>;
  exec(execId: string, planFile: string, opts: { terminal: boolean; stdin: boolean }): Promise<ExecHandle>;
  /** Ends the shim once the container has exited. */
  shutdown(): Promise<void>;
}

export interface TaskCreateOptions {
  id: string;
  dir: string;
  planFile: string;
  logPath?: string;
  logOpts?: { maxSize?: number; maxFile?: number };
  terminal: boolean;
  stdin: boolean;
}

export interface Tasks {
  create(opts: TaskCreateOptions): Promise<TaskHandle>;
  /** Re-attaches to a live shim after a daemon restart; undefined if none is there. */
  load(id: string, dir: string): Promise<{ task: TaskHandle; exited?: ExitStatus } | undefined>;
}

export interface NetworkAttachment {
  /** Path of the network namespace to join, 'host', or undefined (a new empty one, `none`). */
  netns: string | 'host' | undefined;
  hosts?: string;
  hostname?: string;
  resolvConf?: string;
  endpoints: Record<string, EndpointRecord>;
  ports: ContainerRecord['Ports'];
}

export interface ContainerNetworking {
  attach(rec: ContainerRecord, networking: NetworkingConfig | undefined): Promise<NetworkAttachment>;
  detach(rec: ContainerRecord): Promise<void>;
}

export interface PlannedMounts { mounts: Mount[]; mountPoints: MountPoint[]; anonymousVolumes: string[] }

export interface ContainerMounts {
  /** At create: anonymous volumes for the image's VOLUMEs and validated specs. */
  plan(rec: { Id: string; Config: ContainerConfig; HostConfig: HostConfig }, rootfs: string | undefined): Promise<PlannedMounts>;
  /** At stop/remove: unmount volume mounts that need it; with removeAnonymous, delete the anonymous volumes. */
  release(rec: ContainerRecord, removeAnonymous: boolean): Promise<void>;
}

export interface EventSink {
  emit(type: 'container', action: string, id: string, attributes: Record<string, string>): void;
}

export interface ContainerDeps {
  dataRoot: string;
  execRoot: string;
  images: ImageSource;
  snapshots: Snapshotter;
  tasks: Tasks;
  networking?: ContainerNetworking;
  mounts?: ContainerMounts;
  events: EventSink;
  cgroups: CgroupLayout;
  cgroupParent: string;
  logDriver: { type: string; config: Record<string, string> };
  liveRestore: boolean;
  /** `--init`: the daemon default for containers that do not say, and the init binary's host path. */
  init?: { default: boolean; binary: string };
  log: (level: 'info' | 'warn' | 'error', msg: string) => void;
}
