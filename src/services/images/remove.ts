/**
 * `docker rmi` (DELETE /images/{name}) with moby's rules (daemon/images/image_delete.go):
 * - by reference: untag it; if the image keeps other references that is all. Removing a tag also
 *   removes the digest references of the same repository when no other tag of it remains. A
 *   container using the image blocks removing its last repository without force.
 * - by id: untag everything — without force only when all references are one repository.
 * - then the image itself, unless a container uses it (running: never; stopped: unless forced).
 *   When only a reference was asked for and a container holds the image, it silently stays.
 */
import { conflict } from '../../common/errors.js';
import { familiarString, parseNormalizedNamed, tagNameOnly, type Reference } from '../../registry/reference/index.js';
import type { ImageIndex } from './image-index.js';
import { danglingName, recordRef } from './names.js';
import { shortId } from './progress.js';
import type { DeleteResponseItem, ImageUsage, ImageView } from './types.js';

function isIdPrefix(id: string, s: string): boolean {
  const bare = s.startsWith('sha256:') ? s.slice(7) : s;
  return /^[a-f0-9]+$/.test(bare) && id.slice(7).startsWith(bare);
}

/** moby `isSingleReference`: at most one tag, and every digest reference in its repository. */
export function isSingleReference(refs: readonly Reference[]): boolean {
  if (refs.length <= 1) return refs.length === 1;
  let single: Reference | undefined;
  const canonical = new Set<string>();
  for (const r of refs) {
    if (r.digest !== undefined) canonical.add(r.name);
    else if (single === undefined) single = r;
    else return false;
  }
  single ??= refs[0]!;
  return canonical.size === 1 && canonical.has(single.name);
}

export interface RemoveOptions {
  force?: boolean;
}

export interface RemoveResult {
  items: DeleteResponseItem[];
  /** The image was deleted (its content is now garbage). */
  deleted: boolean;
}

function blockerOf(usage: ImageUsage, id: string, force: boolean): string | undefined {
  const running = usage.runningContainersUsing?.(id) ?? [];
  const stopped = usage.containersUsing(id).filter((c) => !running.includes(c));
  if (running[0] !== undefined) return `conflict: unable to delete ${shortId(id)} (cannot be forced) - image is being used by running container ${shortId(running[0])}`;
  if (!force && stopped[0] !== undefined) return `conflict: unable to delete ${shortId(id)} (must be forced) - image is being used by stopped container ${shortId(stopped[0])}`;
  return undefined;
}

export async function removeImage(index: ImageIndex, usage: ImageUsage, name: string, opts: RemoveOptions): Promise<RemoveResult> {
  const force = opts.force ?? false;
  const view = index.resolve(name);
  const items: DeleteResponseItem[] = [];
  const refsOf = (v: ImageView): Reference[] => v.records.map(recordRef).filter((r): r is Reference => r !== undefined);
  let refs = refsOf(view);
  let quiet = false;

  if (!isIdPrefix(view.id, name)) {
    const parsed = tagNameOnly(parseNormalizedNamed(name));
    if (!force && isSingleReference(refs)) {
      const user = usage.containersUsing(view.id)[0];
      if (user !== undefined) {
        throw conflict(`conflict: unable to remove repository reference "${name}" (must force) - container ${shortId(user)} is using its referenced image ${shortId(view.id)}`);
      }
    }
    const drop = [parsed.toString()];
    items.push({ Untagged: familiarString(parsed) });
    refs = refs.filter((r) => r.toString() !== parsed.toString());
    if (parsed.digest === undefined && !refs.some((r) => r.digest === undefined && r.name === parsed.name)) {
      for (const r of refs.filter((x) => x.digest !== undefined && x.name === parsed.name)) {
        drop.push(r.toString());
        items.push({ Untagged: familiarString(r) });
      }
      refs = refs.filter((r) => !(r.digest !== undefined && r.name === parsed.name));
    }
    if (refs.length > 0) {
      await index.delete(drop);
      return { items, deleted: false };
    }
    await index.delete(drop);
    quiet = true;
  } else if (refs.length > 0) {
    if (!force && !isSingleReference(refs)) {
      throw conflict(`conflict: unable to delete ${shortId(view.id)} (must be forced) - image is referenced in multiple repositories`);
    }
    const early = blockerOf(usage, view.id, force);
    if (early !== undefined) throw conflict(early);
    for (const r of refs) items.push({ Untagged: familiarString(r) });
    await index.delete(refs.map((r) => r.toString()));
  }

  const blocker = blockerOf(usage, view.id, force);
  if (blocker !== undefined) {
    // The image stays (listed as dangling); after an untag that is not an error.
    await index.store.put([{ name: danglingName(view.manifestDesc.digest), target: view.manifestDesc, labels: {} }]);
    index.invalidate();
    if (quiet) return { items, deleted: false };
    throw conflict(blocker);
  }
  const left = index.store.list().filter((r) => index.manifestEntry(r.target.digest)?.configDigest === view.id).map((r) => r.name);
  await index.delete(left);
  index.forgetUnreferenced();
  items.push({ Deleted: view.id });
  return { items, deleted: true };
}
