/** The Dockerfile parser: text → AST (BuildKit's parser, node for node). */
export { parseDockerfile, formatWarnings } from './parser.js';
export type { ParseResult, ParserDirectives, Warning } from './parser.js';
export { dumpNode, newNode, nodeArgs } from './node.js';
export type { Heredoc, Node } from './node.js';
export { DockerfileParseError, namingLine } from './errors.js';
export { chompHeredocContent, heredocsFromLine, parseHeredoc } from './heredoc.js';
export { DEFAULT_ESCAPE_TOKEN, detectSyntax } from './directives.js';
export { parseWords } from './line-parsers.js';
