/**
 * SIGHUP reload: daemon.json is read again (same checks as at start-up, against the same flags)
 * and only the options dockerd reloads take effect — debug, log-level, labels, registry mirrors
 * and insecure registries, max-concurrent-*, shutdown-timeout, live-restore, runtimes and the
 * default runtime, features. The rest need a restart, as in Docker.
 */
import { OPTIONS, type DaemonConfig } from './config.js';
import { loadConfig } from './config-file.js';
import type { ParsedFlags } from './flags.js';

export interface ConfigChange {
  key: string;
  value: string;
}

export async function reloadConfig(current: DaemonConfig, flags: ParsedFlags): Promise<{ config: DaemonConfig; changes: ConfigChange[] }> {
  const { config: next } = await loadConfig(flags);
  const out: Record<string, unknown> = { ...current };
  const changes: ConfigChange[] = [];
  for (const o of OPTIONS) {
    if (!o.reload) continue;
    const before = JSON.stringify(current[o.field]);
    const after = JSON.stringify(next[o.field]);
    if (before === after) continue;
    out[o.field] = next[o.field];
    changes.push({ key: o.key, value: after });
  }
  return { config: out as unknown as DaemonConfig, changes };
}
