/**
 * nftables rules for skiff's bridges, generated whole from the current state into one table of
 * skiff's own (`table ip skiff` by default, one name per daemon so test daemons never meet).
 * Every change replaces the whole table in one `nft -f` transaction — declare, delete, recreate —
 * so re-applying after a restart never duplicates a rule and no other table is ever touched.
 *
 * What the rules do, as Docker's iptables chains:
 * - forward (filter): traffic between two different skiff bridges is dropped (isolation);
 *   an internal network exchanges nothing with any other interface; icc=false drops traffic
 *   between containers of the same bridge (seen here through br_netfilter).
 * - postrouting (nat): a non-internal subnet leaving through another interface is masqueraded.
 * - prerouting/output (nat): traffic to a local address on a published port is DNATed to the
 *   container unless it comes from the container's own bridge (that goes through the userland
 *   proxy, which also serves 127.0.0.1: loopback destinations are left to the proxy).
 */
import type { Proto } from './types.js';

export interface FirewallBridge {
  name: string;
  subnet: string;
  internal: boolean;
  icc: boolean;
  masquerade: boolean;
}

export interface FirewallPort {
  bridge: string;
  proto: Proto;
  hostIp: string;
  hostPort: number;
  containerIp: string;
  containerPort: number;
}

export interface FirewallState {
  bridges: FirewallBridge[];
  ports: FirewallPort[];
}

/** nft quoting for interface names (names are validated elsewhere: no quotes or spaces). */
function q(name: string): string {
  return `"${name}"`;
}

export function forwardRules(state: FirewallState): string[] {
  const rules: string[] = [];
  for (const b of state.bridges) {
    const others = state.bridges.filter((o) => o.name !== b.name).map((o) => q(o.name));
    if (others.length) rules.push(`iifname ${q(b.name)} oifname { ${others.join(', ')} } drop`);
    if (b.internal) {
      rules.push(`iifname ${q(b.name)} oifname != ${q(b.name)} drop`);
      rules.push(`oifname ${q(b.name)} iifname != ${q(b.name)} drop`);
    }
    if (!b.icc) rules.push(`iifname ${q(b.name)} oifname ${q(b.name)} drop`);
  }
  return rules;
}

export function postroutingRules(state: FirewallState): string[] {
  return state.bridges
    .filter((b) => b.masquerade && !b.internal)
    .map((b) => `ip saddr ${b.subnet} oifname != ${q(b.name)} masquerade`);
}

export function dnatRules(state: FirewallState): string[] {
  const internal = new Set(state.bridges.filter((b) => b.internal).map((b) => b.name));
  const rules: string[] = [];
  for (const p of state.ports) {
    if (internal.has(p.bridge) || p.hostIp.includes(':') || p.hostIp.startsWith('127.')) continue;
    const daddr = p.hostIp === '0.0.0.0' || p.hostIp === '' ? '' : `ip daddr ${p.hostIp} `;
    rules.push(`iifname != ${q(p.bridge)} ${daddr}${p.proto} dport ${p.hostPort} dnat to ${p.containerIp}:${p.containerPort}`);
  }
  return rules;
}

function chain(name: string, hook: string | undefined, rules: string[]): string {
  const head = hook ? [`    ${hook}`] : [];
  return [`  chain ${name} {`, ...head, ...rules.map((r) => `    ${r}`), '  }'].join('\n');
}

/** The full nft script replacing `table ip <table>`; deletes the table when there is no bridge. */
export function nftScript(table: string, state: FirewallState): string {
  const reset = [`table ip ${table}`, `delete table ip ${table}`];
  if (state.bridges.length === 0) return reset.join('\n') + '\n';
  const body = [
    chain('forward', 'type filter hook forward priority filter; policy accept;', forwardRules(state)),
    chain('published', undefined, dnatRules(state)),
    chain('prerouting', 'type nat hook prerouting priority dstnat; policy accept;', ['fib daddr type local jump published']),
    chain('output', 'type nat hook output priority -100; policy accept;', ['ip daddr != 127.0.0.0/8 fib daddr type local jump published']),
    chain('postrouting', 'type nat hook postrouting priority srcnat; policy accept;', postroutingRules(state)),
  ];
  return [...reset, `table ip ${table} {`, ...body, '}'].join('\n') + '\n';
}
