/**
 * OCI hooks run by the runtime in the runtime's namespace: each gets the container state JSON on
 * stdin and must exit 0 within its timeout. (createContainer and startContainer hooks, which must
 * run inside the container's namespaces, are not supported yet and are rejected at create.)
 */
import { spawn } from 'node:child_process';
import type { Hook, State } from '../../oci/runtime-spec.js';
import { internal } from '../../common/errors.js';

function runHook(hook: Hook, state: State, phase: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const [argv0, ...rest] = hook.args?.length ? hook.args : [hook.path];
    const child = spawn(hook.path, rest, {
      argv0,
      env: Object.fromEntries((hook.env ?? []).map((e) => {
        const i = e.indexOf('=');
        return i < 0 ? [e, ''] : [e.slice(0, i), e.slice(i + 1)];
      })),
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(JSON.stringify(state));
    const timer = hook.timeout ? setTimeout(() => child.kill('SIGKILL'), hook.timeout * 1000) : undefined;
    child.on('error', (e) => reject(internal(`${phase} hook ${hook.path}: ${e.message}`)));
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (code === 0) return resolve();
      const why = signal ? `killed by ${signal}${hook.timeout ? ' (timeout)' : ''}` : `exit status ${code}`;
      reject(internal(`error running ${phase} hook ${hook.path}: ${why}${stderr ? `, stderr: ${stderr.trim()}` : ''}`));
    });
  });
}

export async function runHooks(hooks: Hook[] | undefined, state: State, phase: string): Promise<void> {
  for (const h of hooks ?? []) await runHook(h, state, phase);
}
