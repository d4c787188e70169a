/**
 * Template functions and their Go signatures. Go checks arguments against a function's parameter
 * types before calling it (`wrong number of args for join: want 2 got 1`, `expected string; found
 * 5`); a JS function has no such types, so a function may carry a signature (attached by
 * `goFunc`). Functions without one take any arguments, at least as many as their `length`.
 */

/** A parameter's Go type: `value` is reflect.Value (raw, even when missing), `any` interface{}. */
export type ParamType = 'any' | 'value' | 'string' | 'int' | 'bool';

export interface Signature {
  params: ParamType[];
  /** Type of the trailing variadic parameter, if the function is variadic. */
  variadic?: ParamType;
}

export type TemplateFunc = (...args: any[]) => unknown;
export type FuncMap = Record<string, TemplateFunc>;

const SIGNATURE = Symbol('go-signature');

/** A template function with a Go signature; `fn` itself is left untouched. */
export function goFunc(params: ParamType[], fn: TemplateFunc, variadic?: ParamType): TemplateFunc {
  const sig: Signature = variadic === undefined ? { params } : { params, variadic };
  const wrapped: TemplateFunc = (...args) => fn(...args);
  Object.defineProperty(wrapped, SIGNATURE, { value: sig });
  return wrapped;
}

export function signatureOf(fn: TemplateFunc): Signature | undefined {
  return (fn as unknown as { [SIGNATURE]?: Signature })[SIGNATURE];
}

/** Go's spelling of a parameter type in error messages. */
export function goTypeOf(t: ParamType): string {
  switch (t) {
    case 'any': return 'interface {}';
    case 'value': return 'reflect.Value';
    default: return t;
  }
}

/** Go's rule for names in a FuncMap: a letter or `_`, then letters, digits or `_`. */
export function isGoodName(name: string): boolean {
  return /^[\p{L}_][\p{L}\p{Nd}_]*$/u.test(name);
}
