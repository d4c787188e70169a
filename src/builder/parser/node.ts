/**
 * The Dockerfile AST, shaped like BuildKit's `parser.Node` so that the typed-instruction layer
 * and the corpus can be compared with BuildKit one to one. The root's children are instructions;
 * an instruction's arguments are a chain through `next` (an s-expression, not a tree), and only
 * ONBUILD nests: its argument node carries the triggered instruction as a child.
 */
import { goQuote, goQuoteList } from '../shell/go-quote.js';

export interface Heredoc {
  /** The delimiter word with quotes removed (`<<'EOF'` → `EOF`). */
  name: string;
  /** The descriptor in `3<<EOF`; 0 when none was written. */
  fileDescriptor: number;
  /** False when any part of the delimiter was quoted: the content is then taken literally. */
  expand: boolean;
  /** `<<-`: leading tabs are stripped from the content (see `chompHeredocContent`). */
  chomp: boolean;
  /** The lines between the marker and the delimiter, newlines included. */
  content: string;
}

export interface Node {
  /** The instruction as written (`run`, `RUN`) or one argument. */
  value: string;
  next: Node | undefined;
  children: Node[];
  heredocs: Heredoc[];
  /** `json: true` when the arguments were written in exec (JSON array) form. */
  attributes: Record<string, boolean>;
  /** The instruction line after continuation joining, before any splitting. */
  original: string;
  /** `--name=value` builder flags, only on instruction nodes. */
  flags: string[];
  /** 1-based lines of the source the node spans; 0 for argument nodes. */
  startLine: number;
  endLine: number;
  /** Comment lines directly above the instruction, without their `#`. */
  prevComment: string[];
}

export function newNode(value = '', next?: Node): Node {
  return {
    value,
    next,
    children: [],
    heredocs: [],
    attributes: {},
    original: '',
    flags: [],
    startLine: 0,
    endLine: 0,
    prevComment: [],
  };
}

/** The arguments of an instruction node as strings (`next` chain values). */
export function nodeArgs(node: Node): string[] {
  const out: string[] = [];
  for (let n = node.next; n; n = n.next) out.push(n.value);
  return out;
}

/**
 * BuildKit's `Node.Dump()`: one s-expression per instruction, e.g.
 * `(copy ["--from=a"] "src" "/dst")`. The corpus `result` files are written in this format.
 */
export function dumpNode(node: Node): string {
  let s = node.value.toLowerCase();
  if (node.flags.length > 0) s += ' ' + goQuoteList(node.flags);
  for (const child of node.children) s += '(' + dumpNode(child) + ')\n';
  for (let n = node.next; n; n = n.next) {
    s += ' ' + (n.children.length > 0 ? dumpNode(n) : goQuote(n.value));
  }
  // Go's strings.TrimSpace; the dump never starts or ends with non-ASCII space.
  return s.replace(/^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g, '');
}
