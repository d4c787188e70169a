/**
 * `--format` support for skiff's CLI: Go's text/template, docker's template functions, docker's
 * table/json/raw formatting with a Go-compatible tabwriter, and go-units' human-readable sizes
 * and durations. Commands import from here.
 */
export {
  parseTemplate, Template, goFunc, sprintf,
  type ExecuteResult, type FuncMap, type ParamType, type TemplateFunc,
} from './template/index.js';
export { DOCKER_FUNCS, HEADER_FUNCS } from './funcs.js';
export { goJSON } from './json.js';
export { TabWriter, TabFlags, displayWidth } from './tabwriter.js';
export {
  formatItems, headerContext, isTableFormat, resolveFormat, templateString,
  DEFAULT_QUIET_FORMAT, JSON_FORMAT, JSON_FORMAT_KEY, RAW_FORMAT_KEY, TABLE_FORMAT_KEY,
  type FormatOptions,
} from './formatter.js';
export { bytesSize, humanDuration, humanSize, humanSizeWithPrecision } from '../../common/units.js';
