/**
 * `docker import -c` / `docker commit -c`: Dockerfile instructions applied to an image's run
 * config. Only the instructions that change config are allowed (moby's
 * `validCommitCommands`): CMD, ENTRYPOINT, ENV, EXPOSE, HEALTHCHECK is not, LABEL, ONBUILD,
 * STOPSIGNAL, USER, VOLUME, WORKDIR. Shell forms run through `/bin/sh -c` as in a build.
 */
import { invalidArgument } from '../../common/errors.js';
import type { ImageRunConfig } from '../../oci/image-spec.js';

const VALID = new Set(['cmd', 'entrypoint', 'env', 'expose', 'label', 'onbuild', 'stopsignal', 'user', 'volume', 'workdir']);

function jsonArray(rest: string): string[] | undefined {
  if (!rest.startsWith('[')) return undefined;
  try {
    const v = JSON.parse(rest) as unknown;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  } catch { /* not JSON: shell form */ }
  return undefined;
}

/** Splits `k=v k2="v 2"` words, honouring double quotes and backslashes. */
function words(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let any = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) { cur += s[++i]; any = true; continue; }
    if (quote) { if (c === quote) quote = undefined; else cur += c; continue; }
    if (c === '"' || c === "'") { quote = c; any = true; continue; }
    if (/\s/.test(c)) { if (any) out.push(cur); cur = ''; any = false; continue; }
    cur += c;
    any = true;
  }
  if (any) out.push(cur);
  return out;
}

function pairs(rest: string, what: string): Array<[string, string]> {
  const ws = words(rest);
  if (ws.length > 0 && !ws[0]!.includes('=')) {
    // Legacy `ENV key value with spaces`.
    const m = /^\s*(\S+)\s+(.*)$/.exec(rest);
    if (!m) throw invalidArgument(`${what} requires exactly two arguments`);
    return [[m[1]!, words(m[2]!).join(' ')]];
  }
  return ws.map((w) => {
    const i = w.indexOf('=');
    if (i <= 0) throw invalidArgument(`${what} names can not be blank`);
    return [w.slice(0, i), w.slice(i + 1)] as [string, string];
  });
}

export function applyChanges(base: ImageRunConfig, changes: readonly string[]): ImageRunConfig {
  const c: ImageRunConfig = structuredClone(base);
  for (const line of changes) {
    const m = /^\s*(\S+)\s*(.*?)\s*$/s.exec(line);
    if (!m) continue;
    const instr = m[1]!.toLowerCase();
    const rest = m[2]!;
    if (!VALID.has(instr)) throw invalidArgument(`${m[1]!.toUpperCase()} is not a valid change command`);
    switch (instr) {
      case 'cmd': c.Cmd = jsonArray(rest) ?? ['/bin/sh', '-c', rest]; break;
      case 'entrypoint': c.Entrypoint = jsonArray(rest) ?? ['/bin/sh', '-c', rest]; break;
      case 'env': {
        const env = [...(c.Env ?? [])];
        for (const [k, v] of pairs(rest, 'ENV')) {
          const i = env.findIndex((e) => e.split('=')[0] === k);
          if (i >= 0) env[i] = `${k}=${v}`;
          else env.push(`${k}=${v}`);
        }
        c.Env = env;
        break;
      }
      case 'label': c.Labels = { ...(c.Labels ?? {}), ...Object.fromEntries(pairs(rest, 'LABEL')) }; break;
      case 'expose': {
        const ports = { ...(c.ExposedPorts ?? {}) };
        for (const p of words(rest)) ports[p.includes('/') ? p.toLowerCase() : `${p}/tcp`] = {};
        c.ExposedPorts = ports;
        break;
      }
      case 'volume': {
        const vols = { ...(c.Volumes ?? {}) };
        for (const v of jsonArray(rest) ?? words(rest)) vols[v] = {};
        c.Volumes = vols;
        break;
      }
      case 'onbuild': c.OnBuild = [...(c.OnBuild ?? []), rest]; break;
      case 'stopsignal': c.StopSignal = rest; break;
      case 'user': c.User = rest; break;
      case 'workdir': c.WorkingDir = rest.startsWith('/') ? rest : `${c.WorkingDir ?? '/'}/${rest}`.replace(/\/+/g, '/'); break;
    }
  }
  return c;
}
