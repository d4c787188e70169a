/**
 * Spawning the networking tools (ip, nft, iptables-restore) with a script on stdin. Batch mode
 * keeps the process count per container at one at most, which matters for start latency. Failures
 * become ToolErrors carrying the tool's stderr, which callers wrap into EngineErrors.
 */
import { spawn } from 'node:child_process';
import { internal } from '../common/errors.js';

export class ToolError extends Error {
  constructor(readonly command: string, readonly code: number | null, readonly stderr: string) {
    super(`${command} failed (exit ${code}): ${stderr.trim()}`);
    this.name = 'ToolError';
  }
}

/** Runs `cmd args…`, feeding `input` on stdin; resolves to stdout, rejects with ToolError on failure. */
export function run(cmd: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', (e) => reject(internal(`${cmd}: ${e.message}`, e)));
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new ToolError([cmd, ...args].join(' '), code, stderr));
    });
    // A tool that exits before reading its stdin must not crash the daemon with EPIPE.
    child.stdin?.on('error', () => undefined);
    if (input !== undefined) child.stdin?.end(input);
  });
}

/**
 * `ip -batch -` with the given lines, after `wrapper` options (`['ip', '-force']`-style argv
 * prefixes). No-op when empty. The process is spawned synchronously, before the first await:
 * netns.ts relies on that to start it inside a namespace the calling thread is in just then.
 */
export async function ipBatch(lines: string[], wrapper: string[] = []): Promise<void> {
  if (lines.length === 0) return;
  const argv = [...wrapper, 'ip', '-batch', '-'];
  await run(argv[0]!, argv.slice(1), lines.join('\n') + '\n');
}
