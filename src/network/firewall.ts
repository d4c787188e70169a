/**
 * Applying the generated rules. Changes are serialised (each apply regenerates from the state
 * at its turn, so the last one wins) and each is one atomic transaction: `nft -f -`, or
 * `iptables-restore --noflush` where only iptables exists (or SKIFF_FIREWALL=iptables asks for it).
 * With neither, the firewall is off with a warning.
 */
import { writeFileSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { internal } from '../common/errors.js';
import { run, ToolError } from './exec.js';
import { nftScript } from './nft-rules.js';
import { chainPrefix, iptablesScript, parseSave } from './iptables-rules.js';
import type { FirewallState } from './nft-rules.js';

export interface Firewall {
  readonly kind: 'nftables' | 'iptables' | 'none';
  apply(state: FirewallState): Promise<void>;
}

export function nftAvailable(): boolean {
  const r = spawnSync('nft', ['--version'], { stdio: 'ignore' });
  return r.status === 0;
}

export class NftFirewall implements Firewall {
  readonly kind = 'nftables' as const;
  private queue: Promise<void> = Promise.resolve();
  private lastScript = '';

  constructor(private readonly table: string) {}

  apply(state: FirewallState): Promise<void> {
    const next = this.queue.then(async () => {
      const script = nftScript(this.table, state);
      if (script === this.lastScript) return;
      try {
        await run('nft', ['-f', '-'], script);
      } catch (e) {
        throw internal(`nftables: ${e instanceof ToolError ? e.stderr.trim() : String(e)}`, e);
      }
      this.lastScript = script;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}

export function iptablesAvailable(): boolean {
  return spawnSync('iptables-restore', ['--version'], { stdio: 'ignore' }).status === 0;
}

export class IptablesFirewall implements Firewall {
  readonly kind = 'iptables' as const;
  private queue: Promise<void> = Promise.resolve();
  private readonly prefix: string;

  constructor(table: string) {
    this.prefix = chainPrefix(table);
  }

  apply(state: FirewallState): Promise<void> {
    const next = this.queue.then(async () => {
      try {
        const save = await run('iptables-save', []);
        const script = iptablesScript(this.prefix, state, parseSave(save));
        if (script) await run('iptables-restore', ['-w', '--noflush'], script);
      } catch (e) {
        throw internal(`iptables: ${e instanceof ToolError ? e.stderr.trim() : String(e)}`, e);
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** nftables when `nft` exists, else iptables when it does; `prefer` forces iptables. */
export function chooseFirewall(table: string, prefer: 'auto' | 'iptables'): Firewall {
  if (prefer !== 'iptables' && nftAvailable()) return new NftFirewall(table);
  if (iptablesAvailable()) return new IptablesFirewall(table);
  return new NoFirewall();
}

export class NoFirewall implements Firewall {
  readonly kind = 'none' as const;
  async apply(): Promise<void> { /* nothing to program */ }
}

/** Routing between interfaces is what a bridge network needs from the host; Docker sets it too. */
export function enableIpForward(): void {
  const p = '/proc/sys/net/ipv4/ip_forward';
  try {
    if (readFileSync(p, 'utf8').trim() !== '1') writeFileSync(p, '1');
  } catch { /* read-only /proc/sys (in a container): routing may already be on */ }
}
