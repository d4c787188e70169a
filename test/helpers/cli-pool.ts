/**
 * A private warm pool for tests that run bin/skiff as users do (skiff-launch, then an idle CLI
 * process or a cold start): its own XDG_RUNTIME_DIR, so the pool's processes are the test's,
 * found afterwards by the SKIFF_CLI_POOL in their environment and stopped. stop() removes the
 * directory first, which keeps any process that is just being started from listening.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface PrivatePool {
  /** XDG_RUNTIME_DIR (mode 0700, as mkdtemp makes it) and a pool size of one. */
  env: NodeJS.ProcessEnv;
  dir: string;
  /** Live processes that belong to this pool (idle, serving or starting). */
  processes(): number[];
  /** pids of the idle processes (listening for a command). */
  idle(): number[];
  /**
   * Blocks until a process is idle (true) or timeoutMs passes (false): callers that want their
   * next command served warm.
   */
  waitIdleSync(timeoutMs: number): boolean;
  /** Removes the pool and kills its processes; the number it had to kill. */
  stop(): Promise<number>;
}

export function privatePool(size = 1): PrivatePool {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-cli-run-'));
  const marker = `SKIFF_CLI_POOL=${dir}/`;
  const processes = (): number[] => {
    const out: number[] = [];
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
      try {
        if (readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').some((kv) => kv.startsWith(marker))) out.push(Number(name));
      } catch {
        // gone meanwhile
      }
    }
    return out;
  };
  const idle = (): number[] => {
    const top = join(dir, 'skiff-cli');
    try {
      return readdirSync(top).flatMap((h) => readdirSync(join(top, h)))
        .map((n) => /^w-(\d+)\.sock$/.exec(n)?.[1]).filter((p): p is string => p !== undefined).map(Number);
    } catch {
      return [];
    }
  };
  const tick = new Int32Array(new SharedArrayBuffer(4));
  return {
    dir,
    env: { XDG_RUNTIME_DIR: dir, SKIFF_CLI_WARM: String(size) },
    processes,
    idle,
    waitIdleSync(timeoutMs) {
      for (const end = Date.now() + timeoutMs; Date.now() < end; Atomics.wait(tick, 0, 0, 10)) {
        if (idle().length) return true;
        // None idle and none starting (bin/skiff ran tsc's output after a bare tsc, which keeps
        // no pool): nothing to wait for.
        if (processes().length === 0) return false;
      }
      return false;
    },
    async stop() {
      rmSync(dir, { recursive: true, force: true });
      const killed = new Set<number>();
      // Two empty looks in a row: a pool process that was exiting may have started one more.
      for (let empty = 0, i = 0; empty < 2; i++) {
        if (i > 100) throw new Error(`warm pool processes still alive: ${processes().join(' ')}`);
        const live = processes();
        empty = live.length === 0 ? empty + 1 : 0;
        for (const pid of live) {
          killed.add(pid);
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // exited meanwhile
          }
        }
        await sleep(50);
      }
      return killed.size;
    },
  };
}
