/**
 * A fast path for the most common scripted templates, `{{.Client.Version}}` or
 * `{{.State.Status}} {{.Name}}`: literal text and field chains only, whose values are strings,
 * numbers or booleans. Loading the full text/template engine costs ~25 ms of start-up, more than
 * the rest of the CLI; anything beyond this subset returns undefined and goes to the engine.
 */
const ACTION = /\{\{-? *((?:\.[A-Za-z_][A-Za-z0-9_]*)+|\.) *-?\}\}/g;

export function fastTemplate(format: string, data: unknown): string | undefined {
  if (/\{\{-|-\}\}/.test(format)) return undefined;
  const stripped = format.replace(ACTION, '');
  if (stripped.includes('{{') || stripped.includes('}}')) return undefined;
  let failed = false;
  const out = format.replace(ACTION, (_m, chain: string) => {
    let v: unknown = data;
    for (const key of chain === '.' ? [] : chain.slice(1).split('.')) {
      if (v === null || typeof v !== 'object' || !(key in (v as object))) {
        failed = true;
        return '';
      }
      v = (v as Record<string, unknown>)[key];
    }
    if (typeof v === 'string' || typeof v === 'boolean') return String(v);
    // Go prints integers plainly but floats with %v rules: leave non-integers to the engine.
    if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 1e21) return String(v);
    failed = true;
    return '';
  });
  return failed ? undefined : out;
}
