/**
 * Writing a sandbox's /etc/hosts, /etc/hostname and /etc/resolv.conf from its record and the
 * host's files. Host-mode containers get the host's hosts file (plus --add-host) and the host's
 * resolvers unfiltered, since they share the host's network.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { writeFileAtomic } from '../common/atomic-file.js';
import { hostnameFile, hostsFile, parseExtraHost, resolvConf } from './files.js';
import type { SandboxRecord } from './types.js';

export function readText(path: string): string {
  try { return readFileSync(path, 'utf8'); } catch { return ''; }
}

/** Replaces Docker's magic `host-gateway` address in --add-host entries. */
export function expandExtraHosts(entries: string[], hostGatewayIp: string | undefined): string[] {
  return entries.map((e) => {
    const { name, ip } = parseExtraHost(e);
    if (ip !== 'host-gateway') return `${name}:${ip}`;
    if (!hostGatewayIp) throw new Error('unable to derive the IP value for host-gateway');
    return `${name}:${hostGatewayIp}`;
  });
}

export interface HostFiles {
  resolvConf: string;
  hosts: string;
}

/** Writes the three files; returns the embedded DNS upstreams the resolv.conf implies. */
export async function writeSandboxFiles(sb: SandboxRecord, host: HostFiles): Promise<string[]> {
  mkdirSync(sb.filesDir, { recursive: true, mode: 0o755 });
  const primary = sb.endpoints.find((e) => e.gatewayEndpoint) ?? sb.endpoints.find((e) => e.ip);
  let hosts: string;
  let resolv: { text: string; upstreams: string[] };
  if (sb.mode === 'host') {
    const extra = sb.extraHosts.map((e) => { const { name, ip } = parseExtraHost(e); return `${ip}\t${name}`; });
    hosts = host.hosts + (host.hosts.endsWith('\n') || !host.hosts ? '' : '\n') + extra.map((l) => l + '\n').join('');
    const r = resolvConf({ host: host.resolvConf, override: sb.dns, embeddedDns: false });
    resolv = { text: r.text, upstreams: r.upstreams };
    // The host's own resolvers stay reachable from the host's network: keep loopback ones.
    if (!sb.dns.servers?.length) resolv.text = host.resolvConf || r.text;
  } else {
    hosts = hostsFile({ hostname: sb.hostname, domainname: sb.domainname, ip: primary?.ip, extraHosts: sb.extraHosts });
    resolv = resolvConf({ host: host.resolvConf, override: sb.dns, embeddedDns: sb.embeddedDns });
  }
  const name = sb.mode === 'host' ? osHostname() : sb.hostname;
  await Promise.all([
    writeFileAtomic(sb.hostsPath, hosts),
    writeFileAtomic(sb.hostnamePath, hostnameFile(name)),
    writeFileAtomic(sb.resolvConfPath, resolv.text),
  ]);
  return resolv.upstreams;
}
