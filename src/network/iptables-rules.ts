/**
 * The same rules as nft-rules.ts for hosts where only iptables exists, as one
 * `iptables-restore --noflush` transaction. They live in chains of skiff's own, named after the
 * daemon's table (`SKIFF-FORWARD`, `SKIFF-PUBLISHED`, … for table `skiff`), each hooked from its
 * built-in chain by a single jump. Declaring a chain in a --noflush script empties it, so every
 * apply rewrites skiff's chains whole and touches no other rule; with no bridge left, the jumps
 * and chains are deleted. What exists already is read from `iptables-save` first, so a jump is
 * inserted once and only chains that exist are deleted.
 */
import type { FirewallState } from './nft-rules.js';

/** Built-in chain → skiff's chain suffix, per table. */
const HOOKS = {
  filter: [['FORWARD', 'FORWARD']],
  nat: [['PREROUTING', 'PREROUTING'], ['OUTPUT', 'OUTPUT'], ['POSTROUTING', 'POSTROUTING']],
} as const;

/** iptables chain names are at most 28 characters; the longest suffix is `-POSTROUTING` (12). */
export function chainPrefix(table: string): string {
  return table.toUpperCase().replace(/[^A-Z0-9_-]/g, '-').slice(0, 16);
}

/** What `iptables-save` shows of skiff's chains and jumps. */
export interface IptablesPresent {
  chains: Set<string>;
  /** Jump lines as iptables-save prints them, e.g. `-A FORWARD -j SKIFF-FORWARD`. */
  jumps: Set<string>;
}

export function parseSave(save: string): IptablesPresent {
  const chains = new Set<string>();
  const jumps = new Set<string>();
  for (const line of save.split('\n')) {
    if (line.startsWith(':')) chains.add(line.slice(1).split(' ')[0]!);
    else if (/^-A [A-Z]+ -j \S+$/.test(line)) jumps.add(line);
  }
  return { chains, jumps };
}

export function forwardRules(state: FirewallState): string[] {
  const rules: string[] = [];
  for (const b of state.bridges) {
    for (const o of state.bridges) if (o.name !== b.name) rules.push(`-i ${b.name} -o ${o.name} -j DROP`);
    if (b.internal) rules.push(`-i ${b.name} ! -o ${b.name} -j DROP`, `-o ${b.name} ! -i ${b.name} -j DROP`);
    if (!b.icc) rules.push(`-i ${b.name} -o ${b.name} -j DROP`);
  }
  return rules;
}

export function postroutingRules(state: FirewallState): string[] {
  return state.bridges.filter((b) => b.masquerade && !b.internal).map((b) => `-s ${b.subnet} ! -o ${b.name} -j MASQUERADE`);
}

export function dnatRules(state: FirewallState): string[] {
  const internal = new Set(state.bridges.filter((b) => b.internal).map((b) => b.name));
  const rules: string[] = [];
  for (const p of state.ports) {
    if (internal.has(p.bridge) || p.hostIp.includes(':') || p.hostIp.startsWith('127.')) continue;
    const daddr = p.hostIp === '0.0.0.0' || p.hostIp === '' ? '' : `-d ${p.hostIp}/32 `;
    rules.push(`${daddr}! -i ${p.bridge} -p ${p.proto} -m ${p.proto} --dport ${p.hostPort} -j DNAT --to-destination ${p.containerIp}:${p.containerPort}`);
  }
  return rules;
}

/** The restore script bringing skiff's chains to `state`; empty when there is nothing to do. */
export function iptablesScript(prefix: string, state: FirewallState, present: IptablesPresent): string {
  const name = (suffix: string): string => `${prefix}-${suffix}`;
  const published = name('PUBLISHED');
  const out: string[] = [];
  if (state.bridges.length === 0) {
    for (const [table, hooks] of Object.entries(HOOKS)) {
      const mine = [...hooks.map(([, s]) => name(s)), ...(table === 'nat' ? [published] : [])].filter((c) => present.chains.has(c));
      if (!mine.length) continue;
      out.push(`*${table}`, ...mine.map((c) => `:${c} - [0:0]`));
      for (const [builtin, s] of hooks) if (present.jumps.has(`-A ${builtin} -j ${name(s)}`)) out.push(`-D ${builtin} -j ${name(s)}`);
      out.push(...mine.map((c) => `-X ${c}`), 'COMMIT');
    }
    return out.length ? out.join('\n') + '\n' : '';
  }
  const chain = (suffix: string, rules: string[]): string[] => rules.map((r) => `-A ${name(suffix)} ${r}`);
  const hook = (builtin: string, suffix: string): string[] =>
    present.jumps.has(`-A ${builtin} -j ${name(suffix)}`) ? [] : [`-I ${builtin} 1 -j ${name(suffix)}`];
  out.push('*filter', `:${name('FORWARD')} - [0:0]`, ...hook('FORWARD', 'FORWARD'), ...chain('FORWARD', forwardRules(state)), 'COMMIT');
  out.push('*nat', ...['PREROUTING', 'OUTPUT', 'POSTROUTING', 'PUBLISHED'].map((s) => `:${name(s)} - [0:0]`));
  out.push(...hook('PREROUTING', 'PREROUTING'), ...hook('OUTPUT', 'OUTPUT'), ...hook('POSTROUTING', 'POSTROUTING'));
  out.push(...chain('PREROUTING', [`-m addrtype --dst-type LOCAL -j ${published}`]));
  out.push(...chain('OUTPUT', [`! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j ${published}`]));
  out.push(...chain('POSTROUTING', postroutingRules(state)), ...chain('PUBLISHED', dnatRules(state)), 'COMMIT');
  return out.join('\n') + '\n';
}
