/** Build contexts: the streamed context tar on disk and Docker's `.dockerignore` rules. */
export { openContext, cleanContextPath, type BuildContext } from './extract.js';
export { IgnoreMatcher, parseDockerignore, compileGlob, type IgnorePattern } from './patterns.js';
export { ContextSums, tarsumHeader, type TarsumFields } from './sums.js';
