/**
 * BuildKit's "(did you mean …?)" hints for unknown instructions, flags and mount options: the
 * closest candidate within an edit distance of 2, with the case of what the user wrote.
 */

function levenshtein(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length]!;
}

function matchCase(value: string, orig: string): string {
  if (orig === orig.toLowerCase()) return value.toLowerCase();
  if (orig === orig.toUpperCase()) return value.toUpperCase();
  return value;
}

/** The suggestion for `value` among `options`, or undefined (also when it matches exactly). */
export function suggest(value: string, options: readonly string[], caseSensitive: boolean): string | undefined {
  const val = caseSensitive ? value : value.toLowerCase();
  let match: string | undefined;
  let min = 3;
  for (const option of [...options].sort()) {
    const opt = caseSensitive ? option : option.toLowerCase();
    if (opt === val) return undefined;
    const d = levenshtein(val, opt);
    if (d < min) {
      match = caseSensitive ? opt : matchCase(opt, value);
      min = d;
    }
  }
  return match;
}

/** `message (did you mean x?)` when there is a close option. */
export function withSuggestion(message: string, value: string, options: readonly string[], caseSensitive: boolean): string {
  const s = suggest(value, options, caseSensitive);
  return s === undefined ? message : `${message} (did you mean ${s}?)`;
}
