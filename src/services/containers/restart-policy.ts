/**
 * Restart policies as dockerd's restartmanager applies them: no, always, unless-stopped,
 * on-failure[:N]; a manual stop suppresses restarts; the delay starts at 100 ms and doubles per
 * consecutive restart, reset once a run lasted at least 10 s; capped at 1 minute.
 */
import type { RestartPolicy } from '../../api/types/generated.js';

const BASE_MS = 100;
const MAX_MS = 60_000;
const RESET_AFTER_MS = 10_000;

export interface RestartDecision { restart: boolean; delayMs: number }

export class RestartTracker {
  private delay = 0;

  decide(policy: RestartPolicy | undefined, exitCode: number, restartCount: number, manuallyStopped: boolean, ranForMs: number): RestartDecision {
    const name = policy?.Name ?? '';
    let restart = false;
    if (!manuallyStopped) {
      if (name === 'always' || name === 'unless-stopped') restart = true;
      else if (name === 'on-failure') {
        const max = policy?.MaximumRetryCount ?? 0;
        restart = exitCode !== 0 && (max === 0 || restartCount < max);
      }
    }
    if (!restart) {
      this.delay = 0;
      return { restart, delayMs: 0 };
    }
    if (ranForMs >= RESET_AFTER_MS) this.delay = 0;
    this.delay = this.delay === 0 ? BASE_MS : Math.min(this.delay * 2, MAX_MS);
    return { restart, delayMs: this.delay };
  }

  /** Whether a policy restarts containers when the daemon starts (always; unless-stopped unless stopped by hand). */
  static onDaemonStart(policy: RestartPolicy | undefined, manuallyStopped: boolean): boolean {
    const name = policy?.Name ?? '';
    return name === 'always' || (name === 'unless-stopped' && !manuallyStopped);
  }
}
