/**
 * The fields `ps` templates see (docker's ContainerContext): ID, Image, Command, CreatedAt,
 * RunningFor, Ports, State, Status, Size, Names, Labels, Label, Mounts, Networks, LocalVolumes.
 * Truncation (ids to 12, commands to 20 columns) applies unless --no-trunc.
 */
import { humanSizeWithPrecision } from '../format/index.js';
import { shortId } from '../framework/command.js';
import { ago, ellipsis, goQuote, goTimeString } from '../framework/util.js';

export const PS_COLUMNS: Record<string, string> = {
  ID: 'CONTAINER ID', Image: 'IMAGE', Command: 'COMMAND', CreatedAt: 'CREATED AT', RunningFor: 'CREATED',
  Ports: 'PORTS', State: 'STATE', Status: 'STATUS', Size: 'SIZE', Names: 'NAMES', Labels: 'LABELS',
  Mounts: 'MOUNTS', Networks: 'NETWORKS', LocalVolumes: 'LOCAL VOLUMES',
};

interface Port { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }

/** docker's DisplayablePorts, without its range compaction of consecutive ports. */
export function displayPorts(ports: Port[] | null | undefined): string {
  const seen = new Set<string>();
  const out: string[] = [];
  const sorted = [...(ports ?? [])].sort((a, b) => a.PrivatePort - b.PrivatePort || (a.PublicPort ?? 0) - (b.PublicPort ?? 0));
  for (const p of sorted) {
    let s: string;
    if (p.PublicPort) {
      const ip = p.IP ?? '';
      const host = ip.includes(':') ? `[${ip}]` : ip;
      s = `${host}:${p.PublicPort}->${p.PrivatePort}/${p.Type}`;
    } else s = `${p.PrivatePort}/${p.Type}`;
    if (!seen.has(s)) {
      seen.add(s);
      out.push(s);
    }
  }
  return out.join(', ');
}

export function psContext(c: any, trunc: boolean): Record<string, unknown> {
  const labels: Record<string, string> = c.Labels ?? {};
  const names = ((c.Names ?? []) as string[]).map((n) => n.replace(/^\//, ''));
  const image = String(c.Image ?? '');
  return {
    ID: trunc ? shortId(c.Id) : c.Id,
    Image: image === '' ? '<no image>' : trunc && image.startsWith('sha256:') ? shortId(image) : image,
    Command: goQuote(trunc ? ellipsis(String(c.Command ?? ''), 20) : String(c.Command ?? '')),
    CreatedAt: goTimeString(new Date(c.Created * 1000)),
    RunningFor: ago(c.Created),
    Ports: displayPorts(c.Ports),
    State: c.State,
    Status: c.Status,
    Size: (() => {
      const rw = humanSizeWithPrecision(c.SizeRw ?? 0, 3);
      return c.SizeRootFs > 0 ? `${rw} (virtual ${humanSizeWithPrecision(c.SizeRootFs, 3)})` : rw;
    })(),
    Names: (trunc ? names.filter((n) => !n.includes('/')) : names).join(','),
    Labels: Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(','),
    Label: (name: string) => labels[name] ?? '',
    Mounts: ((c.Mounts ?? []) as any[]).map((m) => ellipsis(String(m.Name || m.Source || ''), trunc ? 15 : 1e9)).join(','),
    Networks: Object.keys(c.NetworkSettings?.Networks ?? {}).sort().join(','),
    Platform: null,
    LocalVolumes: String(((c.Mounts ?? []) as any[]).filter((m) => m.Driver === 'local').length),
  };
}
