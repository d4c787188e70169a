/**
 * Types of the images service: its dependencies (what the composition root injects), the
 * Engine API shapes it produces (ImageSummary, ImageInspect, history, delete and prune reports)
 * and the role interfaces other services implement for it.
 */
import type { Descriptor, ImageConfig, ImageRunConfig, Manifest } from '../../oci/image-spec.js';
import type { ImageSummary as GeneratedImageSummary } from '../../api/types/generated.js';

/** Implemented by the containers service: which containers use an image (by config digest). */
export interface ImageUsage {
  /** Ids of all containers (running or not) created from image `imageId` (`sha256:…`). */
  containersUsing(imageId: string): string[];
  /** Ids of the running ones among them; without it, none is considered running. */
  runningContainersUsing?(imageId: string): string[];
}

export const noImageUsage: ImageUsage = { containersUsing: () => [] };

export interface ImageEvent {
  /** Docker's event actions: pull, push, tag, untag, delete, import, load, save. */
  action: string;
  /** Image id or reference, as Docker's events carry them. */
  id: string;
  name?: string;
}

/** One image as the service holds it in memory: everything list and inspect need. */
export interface ImageView {
  /** Config digest: the image id. */
  id: string;
  manifest: Manifest;
  manifestDesc: Descriptor;
  config: ImageConfig;
  /** Sum of the layers' uncompressed sizes. */
  size: number;
  /** Uncompressed size of each layer, bottom first. */
  layerSizes: number[];
  /** Unix seconds of `config.created` (0 when absent). */
  created: number;
  /** Familiar `name:tag` strings. */
  repoTags: string[];
  /** Familiar `name@sha256:…` strings. */
  repoDigests: string[];
  /** Record names pointing at this image (fully qualified, or internal `moby-dangling@…`). */
  records: string[];
  /** Latest record update time (tag time), RFC 3339. */
  lastTagTime: string;
}

/** `/images/json` items: the Engine API's generated type, with the legacy VirtualSize. */
export type ImageSummary = GeneratedImageSummary & { VirtualSize?: number };

export interface ImageInspect {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  Parent?: string;
  Comment: string;
  Created?: string;
  DockerVersion?: string;
  Author: string;
  Config: ImageRunConfig;
  Architecture: string;
  Variant?: string;
  Os: string;
  OsVersion?: string;
  Size: number;
  VirtualSize?: number;
  GraphDriver: { Name: string; Data: Record<string, string> | null };
  RootFS: { Type: string; Layers: string[] };
  Metadata: { LastTagTime: string };
  Descriptor?: Descriptor;
}

export interface HistoryItem {
  Id: string;
  Created: number;
  CreatedBy: string;
  Tags: string[] | null;
  Size: number;
  Comment: string;
}

export interface DeleteResponseItem {
  Untagged?: string;
  Deleted?: string;
}

export interface PruneReport {
  ImagesDeleted: DeleteResponseItem[] | null;
  SpaceReclaimed: number;
}

/** `filters` of list and prune, parsed: key → values (Docker's `filters.Args`). */
export type FilterArgs = Map<string, string[]>;
