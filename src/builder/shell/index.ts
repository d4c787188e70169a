/** Docker's variable expansion and word splitting for Dockerfile instructions. */
export { ShellLex } from './lex.js';
export type { ProcessWordResult, ShellLexOptions } from './lex.js';
export { EMPTY_ENV, envFromList, toEnvGetter } from './env.js';
export type { EnvGetter, EnvSource } from './env.js';
export { goQuote, goQuoteList } from './go-quote.js';
