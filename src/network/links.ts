/**
 * iproute2 batch scripts for bridges and endpoints, generated as data (unit-tested) and run by
 * the caller. An endpoint is a veth pair: it is created from inside the container's namespace
 * with its peer placed in the daemon's namespace (`netns /proc/<pid>/ns/net`), so the in-namespace
 * side (rename-free eth0, address, MAC, MTU, default route) is one batch run inside the namespace
 * and the host side (enslave to the bridge, up) is one batch run on the host: two processes per
 * endpoint, the first of which also creates the namespace when the container has none yet.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { invalidArgument } from '../common/errors.js';

/** Linux interface names: at most 15 bytes, no slash, colon, whitespace or quotes. */
export function validIfName(name: string): boolean {
  return /^[A-Za-z0-9_.-]{1,15}$/.test(name) && name !== '.' && name !== '..';
}

export function checkBridgeName(name: string): void {
  if (!validIfName(name)) throw invalidArgument(`invalid bridge name: ${name}`);
}

export function linkExists(name: string): boolean {
  return existsSync(`/sys/class/net/${name}`);
}

/** Docker's host-side veth name: veth and 7 hex digits. */
export function vethName(): string {
  return `veth${randomBytes(4).toString('hex').slice(0, 7)}`;
}

export interface BridgeSpec {
  name: string;
  /** Gateway with prefix, e.g. 10.1.0.1/24. */
  address: string;
  mtu: number;
}

/** Creates the bridge (unless it exists) and gives it the gateway address; idempotent. */
export function bridgeUpScript(b: BridgeSpec, exists: boolean): string[] {
  const lines: string[] = [];
  if (!exists) lines.push(`link add name ${b.name} mtu ${b.mtu} type bridge`);
  lines.push(`addr replace ${b.address} dev ${b.name}`, `link set ${b.name} up`);
  return lines;
}

export function bridgeDownScript(name: string): string[] {
  return [`link del ${name}`];
}

export interface EndpointSpec {
  ifName: string;
  hostVeth: string;
  mac: string;
  mtu: number;
  ip: string;
  prefix: number;
  gateway: string;
  defaultRoute: boolean;
  bridge: string;
}

/** Lines run inside the container's namespace; `hostNs` is the daemon's namespace file. */
export function endpointNsScript(e: EndpointSpec, hostNs: string): string[] {
  const lines = [
    `link add ${e.ifName} mtu ${e.mtu} address ${e.mac} type veth peer name ${e.hostVeth} mtu ${e.mtu} netns ${hostNs}`,
    `addr add ${e.ip}/${e.prefix} dev ${e.ifName}`,
    `link set ${e.ifName} up`,
  ];
  if (e.defaultRoute) lines.push(`route replace default via ${e.gateway} dev ${e.ifName}`);
  return lines;
}

/** Lines run on the host: the veth's host side joins the bridge. */
export function endpointHostScript(e: EndpointSpec): string[] {
  return [`link set ${e.hostVeth} master ${e.bridge} up`];
}

