/**
 * What every instruction parser receives (BuildKit's parseRequest), built from one AST node, and
 * the argument-count errors they share, worded as Docker words them.
 */
import type { Heredoc, Node } from '../parser/node.js';
import { trimSpace } from '../shell/unicode.js';
import { BuilderFlags } from './flags.js';
import type { Location } from './types.js';

export interface ParseRequest {
  command: string;
  args: string[];
  heredocs: Heredoc[];
  json: boolean;
  flags: BuilderFlags;
  original: string;
  location: Location;
  comments: string[];
}

/** Argument values; an ONBUILD's nested instruction contributes its keyword and arguments. */
export function flatArgs(node: Node): string[] {
  const out: string[] = [];
  for (let arg = node.next; arg; arg = arg.next) {
    if (arg.children.length === 0) {
      out.push(arg.value);
    } else if (arg.children.length === 1) {
      const sub = arg.children[0]!;
      out.push(sub.value, ...flatArgs(sub));
    }
  }
  return out;
}

export function requestFromNode(node: Node): ParseRequest {
  return {
    command: node.value,
    args: flatArgs(node),
    heredocs: node.heredocs,
    json: node.attributes['json'] === true,
    flags: new BuilderFlags(node.flags),
    original: node.original,
    location: { startLine: node.startLine, endLine: node.endLine },
    comments: node.prevComment,
  };
}

/** The fields every command carries. */
export function base(req: ParseRequest): { name: string; code: string; location: Location; comments: string[] } {
  return { name: req.command, code: trimSpace(req.original), location: req.location, comments: req.comments };
}

/** Shell form is one string joined from the words; exec form keeps the array. */
export function handleJSONArgs(args: string[], json: boolean): string[] {
  if (args.length === 0) return [];
  return json ? args : [args.join(' ')];
}

/** `# name does things` above an ARG or FROM … AS name documents it. */
export function docComment(comments: readonly string[], name: string): string {
  if (name === '') return '';
  for (const line of comments) if (line.startsWith(name + ' ')) return line.slice(name.length + 1);
  return '';
}

export const errAtLeastOneArgument = (cmd: string): Error => new Error(`${cmd} requires at least one argument`);
export const errExactlyOneArgument = (cmd: string): Error => new Error(`${cmd} requires exactly one argument`);
export const errNoDestinationArgument = (cmd: string): Error =>
  new Error(`${cmd} requires at least two arguments, but only one was provided. Destination could not be determined`);
export const errBlankCommandNames = (cmd: string): Error => new Error(`${cmd} names can not be blank`);
export const errNotJSON = (cmd: string): Error => new Error(`${cmd} requires the arguments to be in JSON form`);
