/**
 * The local driver's disk layout: `<data-root>/volumes/<name>/volume.json` (the record) beside
 * `<name>/_data` (the contents). A volume is built in a hidden staging directory and renamed into
 * place, and removed by renaming it aside first, so a crash leaves a whole volume or none;
 * leftovers of either step are swept when the store opens. Records are served from memory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeJsonAtomic } from '../../common/atomic-file.js';
import { internal } from '../../common/errors.js';
import { LOCAL_DRIVER, type VolumeRecord } from './types.js';

const RECORD = 'volume.json';
const DATA = '_data';
const STAGING = '.staging-';
const TRASH = '.trash-';

/** Mount points under `dir` (itself included), from /proc/self/mountinfo, deepest first. */
export function mountsUnder(dir: string): string[] {
  const text = readFileSync('/proc/self/mountinfo', 'utf8');
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const field = line.split(' ')[4];
    if (field === undefined) continue;
    const path = field.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
    if (path === dir || path.startsWith(`${dir}/`)) out.push(path);
  }
  return out.sort((a, b) => b.length - a.length);
}

export class VolumeStore {
  readonly dir: string;
  private readonly records = new Map<string, VolumeRecord>();

  constructor(dataRoot: string) {
    this.dir = join(dataRoot, 'volumes');
  }

  dataPath(name: string): string {
    return join(this.dir, name, DATA);
  }

  /** Loads every volume; a directory with `_data` but no record (another tool's) is adopted. */
  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o701 });
    this.records.clear();
    for (const entry of await readdir(this.dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const root = join(this.dir, entry.name);
      if (entry.name.startsWith(STAGING) || entry.name.startsWith(TRASH)) {
        // Never sweep through a mount: that would delete whatever the device holds.
        if (mountsUnder(root).length === 0) await rm(root, { recursive: true, force: true });
        continue;
      }
      const record = await this.readRecord(entry.name, root);
      if (record) this.records.set(record.Name, record);
    }
  }

  private async readRecord(name: string, root: string): Promise<VolumeRecord | undefined> {
    try {
      const r = JSON.parse(await readFile(join(root, RECORD), 'utf8')) as VolumeRecord;
      return { ...r, Name: name, MountRefs: r.MountRefs ?? [] };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw internal(`error loading volume ${name}`, e);
    }
    if (!existsSync(join(root, DATA))) return undefined;
    const st = await stat(root);
    return { Name: name, Driver: LOCAL_DRIVER, Labels: null, Options: null, CreatedAt: st.ctime.toISOString(), MountRefs: [] };
  }

  get(name: string): VolumeRecord | undefined {
    return this.records.get(name);
  }

  list(): VolumeRecord[] {
    return [...this.records.values()];
  }

  /** Writes a new volume: staged (record + `_data`), then renamed into place. */
  async create(record: VolumeRecord): Promise<void> {
    const stage = join(this.dir, STAGING + randomBytes(8).toString('hex'));
    try {
      await mkdir(stage, { mode: 0o701 });
      await mkdir(join(stage, DATA), { mode: 0o755 });
      await writeJsonAtomic(join(stage, RECORD), record, 0o600);
      await rename(stage, join(this.dir, record.Name));
    } catch (e) {
      await rm(stage, { recursive: true, force: true });
      throw internal(`error while creating volume root path '${join(this.dir, record.Name)}'`, e);
    }
    this.records.set(record.Name, record);
  }

  /** Persists a changed record (mount references). */
  async save(record: VolumeRecord): Promise<void> {
    await writeJsonAtomic(join(this.dir, record.Name, RECORD), record, 0o600);
    this.records.set(record.Name, record);
  }

  /** Removes a volume whose `_data` is no longer mounted. */
  async remove(name: string): Promise<void> {
    const root = join(this.dir, name);
    const mounted = mountsUnder(root);
    if (mounted.length > 0) throw internal(`remove ${name}: volume is still mounted at ${mounted.join(', ')}`);
    const trash = join(this.dir, TRASH + randomBytes(8).toString('hex'));
    try {
      await rename(root, trash);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw internal(`error removing volume path '${root}'`, e);
    }
    this.records.delete(name);
    await rm(trash, { recursive: true, force: true });
  }
}
