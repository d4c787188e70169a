/**
 * docker/cli's formatter entry point for list commands (`ps`, `images`, `volume ls`, …): turns a
 * `--format` value into output the way formatter.Context.Write does. `table …` renders a header
 * row from the column names and aligns everything with a tabwriter(10, 1, 3, ' ', 0); `json`
 * prints one JSON object per line; `raw` and plain templates print each item's rendering on its
 * own line. Errors are invalid-argument, worded `template parsing error: template: …` like docker's.
 */
import { EngineError, invalidArgument } from '../../common/errors.js';
import { DOCKER_FUNCS, HEADER_FUNCS } from './funcs.js';
import { TabWriter } from './tabwriter.js';
import { parseTemplate, type FuncMap, type Template } from './template/index.js';

export { bytesSize, humanDuration, humanSize, humanSizeWithPrecision } from '../../common/units.js';

export const TABLE_FORMAT_KEY = 'table';
export const RAW_FORMAT_KEY = 'raw';
export const JSON_FORMAT_KEY = 'json';
export const DEFAULT_QUIET_FORMAT = '{{.ID}}';
export const JSON_FORMAT = '{{json .}}';

export interface FormatOptions {
  /** The command's table format, used for an empty `--format` or a bare `table`. */
  defaultFormat?: string;
  /** `-q`: print only what quietFormat renders (docker ignores any custom format then). */
  quiet?: boolean;
  /** Defaults to `{{.ID}}`. */
  quietFormat?: string;
  /** The command's `raw` format; defaults to `header: {{.Field}}` lines from the columns. */
  rawFormat?: string;
  /** Functions beyond docker's (json, split, join, title, lower, upper, pad, truncate). */
  funcs?: FuncMap;
}

export const isTableFormat = (format: string): boolean => format.startsWith(TABLE_FORMAT_KEY);

/**
 * docker's Format.templateString: `json` becomes `{{json .}}`, a `table` prefix is cut, spaces
 * (only spaces) are trimmed, and the two-character sequences `\t` and `\n` become tab and newline.
 */
export function templateString(format: string): string {
  if (format === TABLE_FORMAT_KEY) return '';
  if (format === JSON_FORMAT_KEY) return JSON_FORMAT;
  let out = isTableFormat(format) ? format.slice(TABLE_FORMAT_KEY.length) : format;
  out = out.replace(/^ +| +$/g, '');
  return out.replace(/\\t|\\n/g, (m) => (m === '\\t' ? '\t' : '\n'));
}

/** Chooses the effective format as docker's NewXxxFormat functions do. */
export function resolveFormat(format: string, columns: Record<string, string>, opts: FormatOptions = {}): string {
  if (format === '' || format === TABLE_FORMAT_KEY) {
    if (opts.quiet) return opts.quietFormat ?? DEFAULT_QUIET_FORMAT;
    return opts.defaultFormat ?? 'table ' + Object.keys(columns).map((k) => `{{.${k}}}`).join('\\t');
  }
  if (opts.quiet) return opts.quietFormat ?? DEFAULT_QUIET_FORMAT;
  if (format === RAW_FORMAT_KEY) {
    return opts.rawFormat ?? Object.entries(columns)
      .map(([k, h]) => `${h.toLowerCase().replace(/ /g, '_')}: {{.${k}}}\\n`).join('');
  }
  return format;
}

/**
 * docker's SubHeaderContext: field name → column header, plus `.Label "a.b-c"` rendering as the
 * last dotted segment with `-`/`_` as spaces ("b c").
 */
export function headerContext(columns: Record<string, string>): Record<string, unknown> {
  return {
    ...columns,
    Label: (name: string) => String(name).split('.').pop()!.replace(/[-_]/g, ' '),
  };
}

function parse(text: string, funcs: FuncMap): Template {
  try {
    return parseTemplate(text, funcs);
  } catch (e) {
    throw wrap(e);
  }
}

function wrap(e: unknown): unknown {
  if (e instanceof EngineError) return invalidArgument(`template parsing error: ${e.message}`, e);
  return e;
}

/**
 * Renders `items` for a `--format` value. `columns` maps each field to its table header
 * (`{ ID: 'CONTAINER ID', Image: 'IMAGE' }`), used for the header row of table formats.
 */
export function formatItems(
  format: string,
  items: unknown[],
  columns: Record<string, string>,
  opts: FormatOptions = {},
): string {
  const effective = resolveFormat(format, columns, opts);
  const funcs = { ...DOCKER_FUNCS, ...opts.funcs };
  const tmpl = parse(templateString(effective), funcs);
  let body = '';
  for (const item of items) {
    const r = tmpl.tryExecute(item);
    if (r.error) throw wrap(r.error);
    body += r.output + '\n';
  }
  if (!isTableFormat(effective)) return body;
  const tw = new TabWriter(10, 1, 3, ' ', 0);
  // docker ignores header errors and keeps whatever was rendered before one.
  tw.write(tmpl.withFuncs(HEADER_FUNCS).tryExecute(headerContext(columns)).output);
  tw.write('\n');
  tw.write(body);
  return tw.flush();
}
