/**
 * docker's inspect output: the daemon's raw JSON re-indented with four spaces as Go's json.Indent
 * does (strings and escapes kept byte for byte, empty `{}`/`[]` kept compact), wrapped in one
 * array; or, with `--format`, each object rendered by the template on its own line. Missing
 * objects are reported after the output and make the exit status 1.
 */
import { fastTemplate } from './fast-template.js';
import type { Cli } from './cli.js';
import { StatusError } from './command.js';

/** Go's json.Indent(dst, src, prefix, indent) over valid JSON text. */
export function indentJSON(src: string, prefix: string, indent: string): string {
  let out = '';
  let depth = 0;
  let needIndent = false;
  const nl = (): string => '\n' + prefix + indent.repeat(depth);
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    if (needIndent && c !== ']' && c !== '}') {
      needIndent = false;
      depth++;
      out += nl();
    }
    if (c === '"') {
      let j = i + 1;
      while (src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j;
    } else if (c === '{' || c === '[') {
      out += c;
      needIndent = true;
    } else if (c === ',') {
      out += c + nl();
    } else if (c === ':') {
      out += ': ';
    } else if (c === '}' || c === ']') {
      if (needIndent) needIndent = false;
      else {
        depth--;
        out += nl();
      }
      out += c;
    } else out += c;
  }
  return out;
}

export interface Fetched {
  raw: string;
  value: unknown;
}

/** Prints inspect results; `notFound` holds the error lines for names that did not resolve. */
export async function printInspect(cli: Cli, format: string, found: Fetched[], errors: string[]): Promise<void> {
  const fast = format ? found.map((f) => fastTemplate(format, f.value)) : [];
  if (format && fast.every((x) => x !== undefined)) {
    for (const x of fast) cli.out(x + '\n');
  } else if (format) {
    const { DOCKER_FUNCS, parseTemplate } = await import('../format/index.js');
    const t = parseTemplate(format === 'json' ? '{{json .}}' : format, DOCKER_FUNCS);
    for (const f of found) {
      const r = t.tryExecute(f.value);
      if (r.error) throw new StatusError(1, `template: ${r.error.message}`);
      cli.out(r.output + '\n');
    }
  } else {
    cli.out(indentJSON(`[${found.map((f) => f.raw).join(',')}]`, '', '    ') + '\n');
  }
  if (errors.length) throw new StatusError(1, errors.join('\n'));
}
