/**
 * Volume predicates from Engine API filters (parsed by the API layer into key → set of terms),
 * matching moby's filters.Args: label terms are `k` (present)
 * or `k=v`, all must hold; `name` matches exactly or as a regular expression; `dangling` takes
 * true/1/false/0. Unknown keys are refused with Docker's `invalid filter 'x'`.
 */
import { invalidArgument } from '../../common/errors.js';

export type Filters = ReadonlyMap<string, ReadonlySet<string>>;

export function validateFilterKeys(filters: Filters, accepted: readonly string[]): void {
  for (const key of filters.keys()) {
    if (!accepted.includes(key)) throw invalidArgument(`invalid filter '${key}'`);
  }
}

/** Go's `%s` of a []string: `[a b]`. */
function goList(values: Iterable<string>): string {
  return `[${[...values].join(' ')}]`;
}

/** A boolean filter such as `dangling`; undefined when absent. */
export function boolFilter(filters: Filters, key: string): boolean | undefined {
  const terms = filters.get(key);
  if (terms === undefined) return undefined;
  const isTrue = terms.has('1') || terms.has('true');
  const isFalse = terms.has('0') || terms.has('false');
  if (terms.size === 0) throw invalidArgument(`invalid filter '${key}'`);
  if (isTrue === isFalse) throw invalidArgument(`invalid filter '${key}=${goList(terms)}'`);
  return isTrue;
}

/** moby's MatchKVList: every `k` / `k=v` term holds on the labels (no terms: true). */
export function matchLabels(terms: ReadonlySet<string> | undefined, labels: Readonly<Record<string, string>> | null): boolean {
  if (!terms || terms.size === 0) return true;
  if (!labels || Object.keys(labels).length === 0) return false;
  for (const term of terms) {
    const eq = term.indexOf('=');
    const key = eq < 0 ? term : term.slice(0, eq);
    if (!Object.hasOwn(labels, key)) return false;
    if (eq >= 0 && labels[key] !== term.slice(eq + 1)) return false;
  }
  return true;
}

/** `label` must all hold and `label!`, when given, must not all hold. */
export function matchLabelFilters(filters: Filters, labels: Readonly<Record<string, string>> | null): boolean {
  if (!matchLabels(filters.get('label'), labels)) return false;
  const not = filters.get('label!');
  if (not !== undefined && matchLabels(not, labels)) return false;
  return true;
}

/** moby's Args.Match: an exact term, or a term that is a regular expression matching. */
export function matchName(terms: ReadonlySet<string> | undefined, name: string): boolean {
  if (!terms || terms.size === 0) return true;
  if (terms.has(name)) return true;
  for (const t of terms) {
    let re: RegExp;
    try {
      re = new RegExp(t);
    } catch {
      continue; // Go skips terms that do not compile
    }
    if (re.test(name)) return true;
  }
  return false;
}
