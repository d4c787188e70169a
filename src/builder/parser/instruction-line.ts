/**
 * One logical line → one instruction node: split off the command and flags, then hand the rest
 * to the command's argument parser. Unknown commands still parse (with one empty argument);
 * rejecting them is the typed-instruction layer's job, which names the line in its error.
 */
import {
  parseEnv, parseHealthConfig, parseIgnore, parseLabel, parseMaybeJSON, parseMaybeJSONToList,
  parseNameOrNameVal, parseString, parseStringsWhitespaceDelimited, type LineParser,
} from './line-parsers.js';
import { newNode, type Node } from './node.js';
import { splitCommand } from './split-command.js';

/** ONBUILD: the rest is itself an instruction, nested as the child of one argument node. */
const parseSubCommand: LineParser = (rest, escapeToken) => {
  if (rest === '') return { next: undefined };
  const holder = newNode();
  holder.children.push(newNodeFromLine(rest, escapeToken, []));
  return { next: holder };
};

const DISPATCH: ReadonlyMap<string, LineParser> = new Map([
  ['add', parseMaybeJSONToList],
  ['arg', parseNameOrNameVal],
  ['cmd', parseMaybeJSON],
  ['copy', parseMaybeJSONToList],
  ['entrypoint', parseMaybeJSON],
  ['env', parseEnv],
  ['expose', parseStringsWhitespaceDelimited],
  ['from', parseStringsWhitespaceDelimited],
  ['healthcheck', parseHealthConfig],
  ['label', parseLabel],
  ['maintainer', parseString],
  ['onbuild', parseSubCommand],
  ['run', parseMaybeJSON],
  ['shell', parseMaybeJSON],
  ['stopsignal', parseString],
  ['user', parseString],
  ['volume', parseMaybeJSONToList],
  ['workdir', parseString],
]);

export function newNodeFromLine(line: string, escapeToken: string, comments: string[]): Node {
  const { cmd, flags, args } = splitCommand(line, escapeToken);
  const parse = DISPATCH.get(cmd.toLowerCase()) ?? parseIgnore;
  const parsed = parse(args, escapeToken);
  const node = newNode(cmd, parsed.next);
  node.original = line;
  node.flags = flags;
  if (parsed.json) node.attributes = { json: true };
  node.prevComment = comments;
  return node;
}
