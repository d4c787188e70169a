/**
 * The volumes service: Docker's `local` volume driver and volume store in one. It creates,
 * lists, inspects, removes and prunes volumes; mounts volumes that carry mount options when the
 * first container needs them and unmounts them after the last (references persisted in the
 * record, so a restarted daemon knows which running containers still hold a device); and
 * removes the anonymous volumes of a container removed with `--rm`. Which containers use a
 * volume is asked of the injected `VolumeUsage`. Operations run one at a time: they are rare,
 * and serialising them keeps "check in use, then remove" free of races.
 */
import { EngineError, conflict, internal, invalidArgument } from '../../common/errors.js';
import { mount, umount2, MNT } from '../../sys/index.js';
import { boolFilter, matchLabelFilters, matchName, validateFilterKeys, type Filters } from './filters.js';
import { localOptionsProblem, mountCalls, needsMount, redactPassword } from './local-options.js';
import { anonymousName, rfc3339, validateVolumeName } from './names.js';
import { VolumeStore, mountsUnder } from './store.js';
import {
  ANONYMOUS_LABEL, LOCAL_DRIVER, noVolumeUsage,
  type CreateVolumeRequest, type PruneReport, type Volume, type VolumeRecord, type VolumeUsage,
} from './types.js';
import { directorySize } from './usage.js';

export type VolumeEventAction = 'create' | 'destroy' | 'mount' | 'unmount' | 'prune';

export interface VolumesServiceOptions {
  /** The daemon's data-root; volumes live in `<dataRoot>/volumes`. */
  dataRoot: string;
  usage?: VolumeUsage;
  /** Hears of volume events (for `docker events`), once an events service exists. */
  onEvent?: (action: VolumeEventAction, name: string, attributes: Record<string, string>) => void;
}

function noSuchVolume(name: string): EngineError {
  return new EngineError('not-found', `get ${name}: no such volume`);
}

/** Go's strconv.ParseBool. */
function parseGoBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

export class VolumesService {
  private usageSource: VolumeUsage;
  private queue: Promise<unknown> = Promise.resolve();
  private pruning = false;

  private constructor(private readonly store: VolumeStore, private readonly opts: VolumesServiceOptions) {
    this.usageSource = opts.usage ?? noVolumeUsage;
  }

  static async open(opts: VolumesServiceOptions): Promise<VolumesService> {
    const store = new VolumeStore(opts.dataRoot);
    await store.open();
    const svc = new VolumesService(store, opts);
    await svc.reconcileMounts();
    return svc;
  }

  /** The containers service is built after this one; the daemon wires it in here. */
  setUsage(usage: VolumeUsage): void {
    this.usageSource = usage;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private event(action: VolumeEventAction, name: string, attributes: Record<string, string> = {}): void {
    this.opts.onEvent?.(action, name, attributes);
  }

  /** References after a restart: mounts that vanished (a reboot) hold nothing any more. */
  private async reconcileMounts(): Promise<void> {
    for (const r of this.store.list()) {
      if (!needsMount(r.Options) || r.MountRefs.length === 0) continue;
      if (!this.isMounted(r.Name)) await this.store.save({ ...r, MountRefs: [] });
    }
  }

  private isMounted(name: string): boolean {
    return mountsUnder(this.store.dataPath(name)).includes(this.store.dataPath(name));
  }

  private toApi(r: VolumeRecord): Volume {
    return {
      CreatedAt: rfc3339(new Date(r.CreatedAt)),
      Driver: r.Driver,
      Labels: r.Labels,
      Mountpoint: this.store.dataPath(r.Name),
      Name: r.Name,
      Options: r.Options,
      Scope: 'local',
    };
  }

  /** Containers using the volume, plus references holding its mount. */
  private users(r: VolumeRecord): string[] {
    const ids = new Set(this.usageSource.containersUsing(r.Name));
    for (const ref of r.MountRefs) ids.add(ref);
    return [...ids];
  }

  /** `POST /volumes/create`; an existing name is returned as it is, as Docker does. */
  async create(req: CreateVolumeRequest, createdFor?: string): Promise<Volume> {
    return (await this.ensure(req, createdFor)).volume;
  }

  /** Like create, also telling whether the volume is new (callers undo what they made). */
  ensure(req: CreateVolumeRequest, createdFor?: string): Promise<{ volume: Volume; created: boolean }> {
    return this.serial(async () => {
      const anonymous = !req.Name;
      const name = req.Name || anonymousName();
      const existing = this.store.get(name);
      if (existing) return { volume: this.toApi(existing), created: false };
      const driver = req.Driver || LOCAL_DRIVER;
      if (driver !== LOCAL_DRIVER) {
        throw new EngineError('not-found', `create ${name}: error looking up volume plugin ${driver}: plugin "${driver}" not found`);
      }
      validateVolumeName(name);
      const problem = localOptionsProblem(req.DriverOpts);
      if (problem !== undefined) throw invalidArgument(`create ${name}: ${problem}`);
      const labels = anonymous ? { ...(req.Labels ?? {}), [ANONYMOUS_LABEL]: '' } : req.Labels ?? null;
      const record: VolumeRecord = {
        Name: name, Driver: LOCAL_DRIVER, Labels: labels, Options: req.DriverOpts ?? null,
        CreatedAt: new Date().toISOString(), MountRefs: [],
        ...(anonymous && createdFor ? { CreatedFor: createdFor } : {}),
      };
      await this.store.create(record);
      this.event('create', name, { driver: LOCAL_DRIVER });
      return { volume: this.toApi(record), created: true };
    });
  }

  /** `GET /volumes/{name}`. */
  inspect(name: string): Volume {
    const r = this.store.get(name);
    if (!r) throw noSuchVolume(name);
    return this.toApi(r);
  }

  /** `GET /volumes`, filtered by dangling, name, driver and label. */
  list(filters: Filters = new Map()): { Volumes: Volume[]; Warnings: string[] } {
    validateFilterKeys(filters, ['dangling', 'name', 'driver', 'label']);
    const dangling = boolFilter(filters, 'dangling');
    const drivers = filters.get('driver');
    const out = this.store.list().filter((r) =>
      (!drivers || drivers.size === 0 || drivers.has(r.Driver)) &&
      matchName(filters.get('name'), r.Name) &&
      matchLabelFilters(filters, r.Labels) &&
      (dangling === undefined || (this.users(r).length === 0) === dangling));
    return { Volumes: out.sort((a, b) => a.Name.localeCompare(b.Name)).map((r) => this.toApi(r)), Warnings: [] };
  }

  /** `DELETE /volumes/{name}`: refused while in use; `force` only forgives a missing volume. */
  remove(name: string, opts: { force?: boolean } = {}): Promise<void> {
    return this.serial(async () => {
      const r = this.store.get(name);
      if (!r) {
        if (opts.force) return;
        throw noSuchVolume(name);
      }
      const users = this.users(r);
      if (users.length > 0) throw conflict(`remove ${name}: volume is in use - [${users.join(', ')}]`);
      await this.removeRecord(r);
    });
  }

  private async removeRecord(r: VolumeRecord): Promise<void> {
    // A mount left from before a restart, with nobody holding it, goes before the directory.
    if (needsMount(r.Options) && this.isMounted(r.Name)) this.umount(r);
    await this.store.remove(r.Name);
    this.event('destroy', r.Name, { driver: r.Driver });
  }

  /** `POST /volumes/prune`: unused local volumes without mount options; anonymous ones unless `all`. */
  async prune(filters: Filters = new Map()): Promise<PruneReport> {
    if (this.pruning) throw conflict('a prune operation is already running');
    this.pruning = true;
    try {
      return await this.serial(() => this.pruneLocked(filters));
    } finally {
      this.pruning = false;
    }
  }

  private async pruneLocked(filters: Filters): Promise<PruneReport> {
    validateFilterKeys(filters, ['label', 'label!', 'all']);
    const all = filters.get('all');
    let everything = false;
    if (all && all.size > 1) throw invalidArgument(`invalid filter 'all=[${[...all].join(' ')}]': only one value is expected`);
    if (all && all.size === 1) {
      const v = [...all][0]!;
      const b = parseGoBool(v);
      if (b === undefined) throw invalidArgument(`invalid filter 'all': strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
      everything = b;
    }
    const report: PruneReport = { VolumesDeleted: [], SpaceReclaimed: 0 };
    for (const r of this.store.list()) {
      if (r.Driver !== LOCAL_DRIVER || (r.Options && Object.keys(r.Options).length > 0)) continue;
      if (!everything && !(r.Labels && Object.hasOwn(r.Labels, ANONYMOUS_LABEL))) continue;
      if (!matchLabelFilters(filters, r.Labels) || this.users(r).length > 0) continue;
      const size = await directorySize(this.store.dataPath(r.Name)).catch(() => 0);
      await this.removeRecord(r);
      report.VolumesDeleted.push(r.Name);
      report.SpaceReclaimed += size;
    }
    this.event('prune', '', { reclaimed: String(report.SpaceReclaimed) });
    return report;
  }

  /** `system df -v`: local volumes without mount options, with UsageData {Size, RefCount}. */
  async usage(): Promise<Volume[]> {
    const out: Volume[] = [];
    for (const r of this.store.list()) {
      if (r.Driver !== LOCAL_DRIVER || (r.Options && Object.keys(r.Options).length > 0)) continue;
      const size = await directorySize(this.store.dataPath(r.Name)).catch(() => -1);
      out.push({ ...this.toApi(r), UsageData: { Size: size, RefCount: this.usageSource.containersUsing(r.Name).length } });
    }
    return out.sort((a, b) => a.Name.localeCompare(b.Name));
  }

  /**
   * Makes the volume's data available for `ref` (a container id) and returns its host path.
   * A volume with mount options is mounted on the first reference; taking the same reference
   * twice is harmless, so a retried start cannot leak a count.
   */
  mount(name: string, ref: string): Promise<string> {
    return this.serial(async () => {
      const r = this.store.get(name);
      if (!r) throw noSuchVolume(name);
      const path = this.store.dataPath(name);
      if (!needsMount(r.Options)) return path;
      if (!this.isMounted(name)) this.mountDevice(r, path);
      if (!r.MountRefs.includes(ref)) await this.store.save({ ...r, MountRefs: [...r.MountRefs, ref] });
      this.event('mount', name, { driver: r.Driver, container: ref });
      return path;
    });
  }

  private mountDevice(r: VolumeRecord, path: string): void {
    const calls = mountCalls(r.Options!);
    try {
      for (const [i, c] of calls.entries()) mount(c.source, path, c.fstype, c.flags, i === 0 ? c.data : null);
    } catch (e) {
      if (this.isMounted(r.Name)) try { umount2(path, MNT.DETACH); } catch { /* already gone */ }
      throw internal(`failed to mount local volume: ${redactPassword((e as Error).message, r.Options!.o)}`, e);
    }
  }

  private umount(r: VolumeRecord): void {
    const path = this.store.dataPath(r.Name);
    try {
      umount2(path);
    } catch (e) {
      if (this.isMounted(r.Name)) throw internal(`error unmounting volume ${r.Name}: ${(e as Error).message}`, e);
    }
  }

  /** Drops `ref`'s hold; the last one unmounts a volume that has mount options. */
  unmount(name: string, ref: string): Promise<void> {
    return this.serial(async () => {
      const r = this.store.get(name);
      if (!r || !needsMount(r.Options)) return;
      const refs = r.MountRefs.filter((x) => x !== ref);
      // Even when the unmount fails the reference is gone: nothing could ever drop it later.
      if (refs.length !== r.MountRefs.length) await this.store.save({ ...r, MountRefs: refs });
      if (refs.length === 0 && this.isMounted(name)) this.umount(r);
      this.event('unmount', name, { driver: r.Driver, container: ref });
    });
  }

  /**
   * Removes the anonymous volumes made for `containerId` (`--rm`, `docker rm -v`); named
   * volumes survive, and so does an anonymous one another container still uses (volumes-from).
   * Returns the names removed.
   */
  releaseAnonymous(containerId: string): Promise<string[]> {
    return this.serial(async () => {
      const removed: string[] = [];
      for (const r of this.store.list()) {
        if (r.CreatedFor !== containerId || !r.Labels || !Object.hasOwn(r.Labels, ANONYMOUS_LABEL)) continue;
        if (this.users(r).some((id) => id !== containerId)) continue;
        if (r.MountRefs.length > 0) await this.store.save({ ...r, MountRefs: [] });
        await this.removeRecord({ ...r, MountRefs: [] });
        removed.push(r.Name);
      }
      return removed;
    });
  }
}
