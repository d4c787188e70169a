/**
 * Image reference helpers the CLI needs without the daemon's full parser: docker's "familiar"
 * names (`docker.io/library/busybox` → `busybox`), splitting `repo:tag`, and the registry host
 * of a reference (for X-Registry-Auth).
 */
export function familiar(ref: string): string {
  if (ref.startsWith('docker.io/library/')) return ref.slice('docker.io/library/'.length);
  if (ref.startsWith('docker.io/')) return ref.slice('docker.io/'.length);
  return ref;
}

/** `repo:tag` → [repo, tag]; the tag is '' when absent (a port in the host is not a tag). */
export function splitTag(ref: string): [string, string] {
  const at = ref.indexOf('@');
  const name = at >= 0 ? ref.slice(0, at) : ref;
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) return [name.slice(0, colon), name.slice(colon + 1)];
  return [name, ''];
}

/** The registry host of a reference, or undefined for Docker Hub. */
export function registryOf(ref: string): string | undefined {
  const slash = ref.indexOf('/');
  if (slash < 0) return undefined;
  const first = ref.slice(0, slash);
  if (first.includes('.') || first.includes(':') || first === 'localhost') return first === 'docker.io' ? undefined : first;
  return undefined;
}
