/**
 * The parse tree of a template, shaped like Go's text/template/parse nodes. `nodeString` renders
 * a node back to template syntax exactly as Go's String methods do, because execution errors
 * quote it: `executing "" at <.Foo>: …`.
 */
import { goQuote } from './quote.js';

interface Base {
  pos: number;
}

export interface ListNode extends Base { type: 'list'; nodes: Node[] }
export interface TextNode extends Base { type: 'text'; text: string }
export interface ActionNode extends Base { type: 'action'; line: number; pipe: PipeNode }
export interface PipeNode extends Base {
  type: 'pipe';
  line: number;
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
}
export interface CommandNode extends Base { type: 'command'; args: Node[] }
export interface IdentifierNode extends Base { type: 'identifier'; ident: string }
export interface VariableNode extends Base { type: 'variable'; ident: string[] }
export interface DotNode extends Base { type: 'dot' }
export interface NilNode extends Base { type: 'nil' }
export interface FieldNode extends Base { type: 'field'; ident: string[] }
export interface ChainNode extends Base { type: 'chain'; node: Node; field: string[] }
export interface BoolNode extends Base { type: 'bool'; value: boolean }
export interface NumberNode extends Base {
  type: 'number';
  text: string;
  isInt: boolean;
  isFloat: boolean;
  /** The value; integers beyond 2^53 lose precision, as they would converting to float64. */
  value: number;
  /** True for character constants ('a'), which are ints but never floats when printed. */
  isChar: boolean;
}
export interface StringNode extends Base { type: 'string'; quoted: string; text: string }
export interface BranchNode extends Base {
  type: 'if' | 'range' | 'with';
  line: number;
  pipe: PipeNode;
  list: ListNode;
  elseList: ListNode | null;
}
export interface TemplateNode extends Base { type: 'template'; line: number; name: string; pipe: PipeNode | null }
export interface BreakNode extends Base { type: 'break'; line: number }
export interface ContinueNode extends Base { type: 'continue'; line: number }
/** Parser-internal markers for {{end}} and {{else}}; never left in a finished tree. */
export interface EndNode extends Base { type: 'end' }
export interface ElseNode extends Base { type: 'else'; line: number }

export type Node =
  | ListNode | TextNode | ActionNode | PipeNode | CommandNode | IdentifierNode | VariableNode
  | DotNode | NilNode | FieldNode | ChainNode | BoolNode | NumberNode | StringNode | BranchNode
  | TemplateNode | BreakNode | ContinueNode | EndNode | ElseNode;

/** Operands that may not start a later stage of a pipeline (`x | "lit"`). */
export const NON_EXECUTABLE = new Set<Node['type']>(['bool', 'dot', 'nil', 'number', 'string']);

function argString(n: Node): string {
  return n.type === 'pipe' ? `(${nodeString(n)})` : nodeString(n);
}

export function nodeString(n: Node): string {
  switch (n.type) {
    case 'list': return n.nodes.map(nodeString).join('');
    case 'text': return n.text;
    case 'action': return `{{${nodeString(n.pipe)}}}`;
    case 'pipe': {
      let s = '';
      if (n.decl.length > 0) {
        s = n.decl.map(nodeString).join(', ') + (n.isAssign ? ' = ' : ' := ');
      }
      return s + n.cmds.map(nodeString).join(' | ');
    }
    case 'command': return n.args.map(argString).join(' ');
    case 'identifier': return n.ident;
    case 'variable': return n.ident.join('.');
    case 'dot': return '.';
    case 'nil': return 'nil';
    case 'field': return n.ident.map((i) => '.' + i).join('');
    case 'chain': return argString(n.node) + n.field.map((f) => '.' + f).join('');
    case 'bool': return n.value ? 'true' : 'false';
    case 'number': return n.text;
    case 'string': return n.quoted;
    case 'if':
    case 'range':
    case 'with': {
      const els = n.elseList ? `{{else}}${nodeString(n.elseList)}` : '';
      return `{{${n.type} ${nodeString(n.pipe)}}}${nodeString(n.list)}${els}{{end}}`;
    }
    case 'template':
      return n.pipe ? `{{template ${goQuote(n.name)} ${nodeString(n.pipe)}}}` : `{{template ${goQuote(n.name)}}}`;
    case 'break': return '{{break}}';
    case 'continue': return '{{continue}}';
    case 'end': return '{{end}}';
    case 'else': return '{{else}}';
  }
}

/** parse.IsEmptyTree: only space or comments, so a later definition may replace it. */
export function isEmptyTree(n: Node | null): boolean {
  if (!n) return true;
  if (n.type === 'list') return n.nodes.every(isEmptyTree);
  if (n.type === 'text') return n.text.trim() === '';
  return false;
}
