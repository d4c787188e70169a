/**
 * Go's text/template for skiff's `--format`: `parseTemplate(text, funcs)` parses once, and
 * `execute(data)` renders plain JS data (see values.ts for how JS values map to Go's). Parse and
 * execution errors are invalid-argument EngineErrors whose message is Go's own text.
 */
import { EngineError, invalidArgument } from '../../../common/errors.js';
import { BUILTINS } from './builtins.js';
import { State, TemplateExecError, type ExecContext } from './exec.js';
import { isGoodName, type FuncMap } from './funcs.js';
import { parseTrees, TemplateParseError, type TreeSet } from './parser.js';

export { goFunc, type FuncMap, type ParamType, type TemplateFunc } from './funcs.js';
export { formatValue, sprint, sprintf, sprintln } from './fmt.js';
export { formatFloat } from '../../../common/gofloat.js';

export interface ExecuteResult {
  /** What was written before any error, as Go leaves partial output in its writer. */
  output: string;
  error?: EngineError;
}

export class Template {
  /** @internal use parseTemplate */
  constructor(
    readonly name: string,
    private readonly text: string,
    private readonly trees: TreeSet,
    private readonly funcs: FuncMap,
  ) {}

  /** Renders the template; throws an invalid-argument EngineError with Go's message. */
  execute(data: unknown): string {
    const r = this.tryExecute(data);
    if (r.error) throw r.error;
    return r.output;
  }

  /** Renders the template and reports an error alongside the partial output. */
  tryExecute(data: unknown): ExecuteResult {
    const out: string[] = [];
    const ctx: ExecContext = { trees: this.trees, text: this.text, funcs: this.funcs, builtins: BUILTINS };
    try {
      new State(ctx, this.name, out, data).run(data);
      return { output: out.join('') };
    } catch (e) {
      if (e instanceof TemplateExecError) return { output: out.join(''), error: invalidArgument(e.message, e) };
      throw e;
    }
  }

  /**
   * The same parsed template with some functions replaced, as Go's `tmpl.Funcs(m)` after parsing;
   * docker renders table headers this way. Names not already known cannot be added here.
   */
  withFuncs(funcs: FuncMap): Template {
    return new Template(this.name, this.text, this.trees, { ...this.funcs, ...funcs });
  }

  /** Names of all templates in the set ({{define}}d and {{block}}s included). */
  templateNames(): string[] {
    return [...this.trees.keys()];
  }
}

/**
 * Parses a template named "" (as docker's templates.Parse does) with Go's builtins plus `funcs`.
 * Throws an invalid-argument EngineError such as `template: :1: unclosed action`.
 */
export function parseTemplate(text: string, funcs: FuncMap = {}, name = ''): Template {
  for (const [fname, fn] of Object.entries(funcs)) {
    if (!isGoodName(fname)) throw invalidArgument(`function name ${JSON.stringify(fname)} is not a valid identifier`);
    if (typeof fn !== 'function') throw invalidArgument(`value for ${fname} not a function`);
  }
  const has = (n: string): boolean => Object.hasOwn(funcs, n) || Object.hasOwn(BUILTINS, n);
  try {
    return new Template(name, text, parseTrees(name, text, has), { ...funcs });
  } catch (e) {
    if (e instanceof TemplateParseError) throw invalidArgument(e.message, e);
    throw e;
  }
}
