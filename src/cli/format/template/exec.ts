/**
 * The executor: walks a parsed tree over data, as Go's text/template exec.go does. Dot, `$` and
 * declared variables, pipelines feeding their value to the next command as the last argument,
 * if/with/range/template, and field access on the value model of values.ts (maps yield `<no
 * value>` for missing keys as docker's templates do; structs and methods are called). Errors
 * carry Go's location and context: `template: :1:2: executing "" at <.Foo>: …`.
 */
import { formatValue, type Flags } from './fmt.js';
import { goTypeOf, signatureOf, type FuncMap, type ParamType, type TemplateFunc } from './funcs.js';
import {
  nodeString,
  type BranchNode, type ChainNode, type CommandNode, type FieldNode, type IdentifierNode, type Node, type NumberNode,
  type PipeNode, type TemplateNode, type VariableNode,
} from './nodes.js';
import { isFloatLiteral } from './numbers.js';
import type { TreeSet } from './parser.js';
import { goQuote } from './quote.js';
import { isTrue, kindOf, mapGet, sortedEntries, structHas, typeName } from './values.js';

export class TemplateExecError extends Error {
  override name = 'TemplateExecError';
}

/** Thrown by {{break}} / {{continue}} and caught by the enclosing range. */
const BREAK = Symbol('break');
const CONTINUE = Symbol('continue');
/** The absent pipeline value: the first command of a pipeline gets no extra argument. */
const MISSING = Symbol('missing');
type Final = unknown | typeof MISSING;

const MAX_EXEC_DEPTH = 1000;
const NO_FLAGS: Flags = { plus: false, minus: false, sharp: false, space: false, zero: false, width: null, prec: null };

export interface ExecContext {
  trees: TreeSet;
  /** The full template source, for error positions. */
  text: string;
  funcs: FuncMap;
  builtins: FuncMap;
}

interface Variable {
  name: string;
  value: unknown;
}

export class State {
  private node: Node | null = null;
  private vars: Variable[];

  constructor(
    private readonly ctx: ExecContext,
    private readonly name: string,
    private readonly out: string[],
    dot: unknown,
    private readonly depth = 0,
  ) {
    this.vars = [{ name: '$', value: dot }];
  }

  run(dot: unknown): void {
    const tree = this.ctx.trees.get(this.name);
    if (!tree) this.errorf(`${goQuote(this.name)} is an incomplete or empty template`);
    this.walk(dot, tree.root);
  }

  private errorf(msg: string): never {
    const tree = this.ctx.trees.get(this.name);
    const parseName = tree?.parseName ?? this.name;
    if (!this.node) throw new TemplateExecError(`template: ${this.name}: ${msg}`);
    // Go reports the byte column on the node's line (0-based on the first line).
    const before = this.ctx.text.slice(0, this.node.pos);
    const nl = before.lastIndexOf('\n');
    const col = Buffer.byteLength(nl < 0 ? before : before.slice(nl + 1));
    const line = before.split('\n').length;
    throw new TemplateExecError(
      `template: ${parseName}:${line}:${col}: executing ${goQuote(this.name)} at <${nodeString(this.node)}>: ${msg}`,
    );
  }

  // --- variables ---
  private mark(): number { return this.vars.length; }
  private pop(mark: number): void { this.vars.length = mark; }
  private setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }
  private setTopVar(n: number, value: unknown): void { this.vars[this.vars.length - n]!.value = value; }
  private varValue(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    return this.errorf(`undefined variable: ${name}`);
  }

  // --- walking ---
  private walk(dot: unknown, node: Node): void {
    this.node = node;
    switch (node.type) {
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case 'break': throw BREAK;
      case 'continue': throw CONTINUE;
      case 'if':
      case 'with': return this.walkIfOrWith(dot, node);
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'range': return this.walkRange(dot, node);
      case 'template': return this.walkTemplate(dot, node);
      case 'text':
        this.out.push(node.text);
        return;
      default: this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  private walkIfOrWith(dot: unknown, node: BranchNode): void {
    const mark = this.mark();
    try {
      const val = this.evalPipeline(dot, node.pipe);
      if (isTrue(val)) this.walk(node.type === 'with' ? val : dot, node.list);
      else if (node.elseList) this.walk(dot, node.elseList);
    } finally {
      this.pop(mark);
    }
  }

  private walkRange(dot: unknown, r: BranchNode): void {
    this.node = r;
    const outer = this.mark();
    try {
      const val = this.evalPipeline(dot, r.pipe);
      const mark = this.mark();
      const decl = r.pipe.decl;
      const one = (index: unknown, elem: unknown): void => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) this.setVar(decl[0]!.ident[0]!, decl.length > 1 ? index : elem);
          else this.setTopVar(1, elem);
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1]!.ident[0]!, elem);
          else this.setTopVar(2, index);
        }
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (e !== CONTINUE) throw e;
        } finally {
          this.pop(mark);
        }
      };
      let ran = false;
      switch (kindOf(val)) {
        case 'slice':
          (val as unknown[]).forEach((e, i) => { ran = true; one(i, e); });
          break;
        case 'map':
          for (const [k, v] of sortedEntries(val as object)) { ran = true; one(k, v); }
          break;
        case 'int': {
          // Go 1.24 ranges over an integer n as 0..n-1, with the element as the only variable.
          if (decl.length > 1) this.errorf(`can't use ${formatValue(val, 'v', NO_FLAGS)} to iterate over more than one variable`);
          for (let i = 0; i < Number(val); i++) { ran = true; one(undefined, i); }
          break;
        }
        case 'invalid':
        case 'nil':
          break;
        default:
          this.errorf(`range can't iterate over ${formatValue(val, 'v', NO_FLAGS)}`);
      }
      if (!ran && r.elseList) this.walk(dot, r.elseList);
    } catch (e) {
      if (e !== BREAK) throw e;
    } finally {
      this.pop(outer);
    }
  }

  private walkTemplate(dot: unknown, t: TemplateNode): void {
    this.node = t;
    if (!this.ctx.trees.has(t.name)) this.errorf(`template ${goQuote(t.name)} not defined`);
    if (this.depth >= MAX_EXEC_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    const newDot = t.pipe ? this.evalPipeline(dot, t.pipe) : undefined;
    // No dynamic scoping: the invoked template sees only its own $.
    new State(this.ctx, t.name, this.out, newDot, this.depth + 1).run(newDot);
  }

  private printValue(node: Node, v: unknown): void {
    this.node = node;
    // Data is JSON-like, so null is Go's nil interface{}: it prints as <no value>, like a
    // missing key. Nested in a slice or map it prints as <nil>.
    if (v === undefined || v === null) {
      this.out.push('<no value>');
      return;
    }
    if (typeof v === 'function') this.errorf(`can't print ${nodeString(node)} of type ${typeName(v)}`);
    this.out.push(formatValue(v, 'v', NO_FLAGS));
  }

  // --- evaluation ---
  private evalPipeline(dot: unknown, pipe: PipeNode): unknown {
    this.node = pipe;
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value);
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0]!, value);
      else this.vars.push({ name: v.ident[0]!, value });
    }
    return value;
  }

  private notAFunction(args: Node[], final: Final): void {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args[0]!)}`);
  }

  private evalCommand(dot: unknown, cmd: CommandNode, final: Final): unknown {
    const first = cmd.args[0]!;
    switch (first.type) {
      case 'field': return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain': return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier': return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable': return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.node = first;
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool': return first.value;
      case 'dot': return dot;
      case 'nil': return this.errorf('nil is not a command');
      case 'number': return this.idealConstant(first);
      case 'string': return first.text;
    }
    return this.errorf(`can't evaluate command ${goQuote(nodeString(first))}`);
  }

  private idealConstant(n: NumberNode): number {
    this.node = n;
    if (!isFloatLiteral(n.text, n) && !n.isInt) this.errorf(`${n.text} overflows int`);
    return n.value;
  }

  private evalFieldNode(dot: unknown, field: FieldNode, args: Node[] | null, final: Final, raw = false): unknown {
    this.node = field;
    return this.evalFieldChain(dot, dot, field, field.ident, args, final, raw);
  }

  private evalChainNode(dot: unknown, chain: ChainNode, args: Node[] | null, final: Final, raw = false): unknown {
    this.node = chain;
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, 'any', chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final, raw);
  }

  private evalVariableNode(dot: unknown, v: VariableNode, args: Node[] | null, final: Final, raw = false): unknown {
    this.node = v;
    const value = this.varValue(v.ident[0]!);
    if (v.ident.length === 1) {
      if (args) this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final, raw);
  }

  private evalFieldChain(dot: unknown, receiver: unknown, node: Node, ident: string[], args: Node[] | null, final: Final, raw: boolean): unknown {
    // A value read from a map has static type interface {} in Go, which its errors name.
    let fromMap = false;
    for (let i = 0; i < ident.length - 1; i++) {
      const isMap = kindOf(receiver) === 'map';
      receiver = this.evalField(dot, ident[i]!, node, null, MISSING, receiver, false, fromMap);
      fromMap = isMap;
    }
    return this.evalField(dot, ident[ident.length - 1]!, node, args, final, receiver, raw, fromMap);
  }

  /**
   * Field or method access. Class methods are Go methods and always called; a function stored
   * in a map or instance field is called too (docker-like contexts built from plain objects),
   * except when it is `call`'s first argument (`raw`), which wants the function itself.
   */
  private evalField(
    dot: unknown, name: string, node: Node, args: Node[] | null, final: Final, receiver: unknown, raw: boolean, fromMap: boolean,
  ): unknown {
    const kind = kindOf(receiver);
    // A nil interface{} read out of a map cannot be dereferenced; a missing value (or nil dot
    // or variable, which Go holds as an invalid value) yields no value, like a missing key.
    if (kind === 'nil' && fromMap) this.errorf(`nil pointer evaluating interface {}.${name}`);
    if (kind === 'invalid' || kind === 'nil') return undefined;
    const hasArgs = (args !== null && args.length > 1) || final !== MISSING;
    if (kind === 'struct' && structHas(receiver as object, name)) {
      const value = this.read(receiver as object, name, node);
      const own = Object.prototype.hasOwnProperty.call(receiver, name);
      if (typeof value === 'function' && raw && own && !hasArgs) return value;
      if (typeof value === 'function') return this.evalCall(dot, value.bind(receiver), false, node, name, args, final);
      if (hasArgs) this.errorf(`${name} has arguments but cannot be invoked as function`);
      return value;
    }
    if (kind === 'map') {
      const value = mapGet(receiver as object, name);
      if (typeof value === 'function' && raw && !hasArgs) return value;
      if (typeof value === 'function') return this.evalCall(dot, value.bind(receiver), false, node, name, args, final);
      if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
      return value;
    }
    return this.errorf(`can't evaluate field ${name} in type ${fromMap ? 'interface {}' : typeName(receiver)}`);
  }

  /** Reads a struct field; a throwing getter is reported like a failing method. */
  private read(obj: object, name: string, node: Node): unknown {
    try {
      return (obj as Record<string, unknown>)[name];
    } catch (e) {
      this.node = node;
      return this.errorf(`error calling ${name}: ${(e as Error)?.message ?? String(e)}`);
    }
  }

  private evalFunction(dot: unknown, node: IdentifierNode, cmd: Node, args: Node[] | null, final: Final): unknown {
    this.node = node;
    const name = node.ident;
    const fn = Object.hasOwn(this.ctx.funcs, name) ? this.ctx.funcs[name] : undefined;
    if (fn) return this.evalCall(dot, fn, false, cmd, name, args, final);
    const builtin = Object.hasOwn(this.ctx.builtins, name) ? this.ctx.builtins[name] : undefined;
    if (!builtin) return this.errorf(`${goQuote(name)} is not a defined function`);
    return this.evalCall(dot, builtin, true, cmd, name, args, final);
  }

  private evalCall(dot: unknown, fn: TemplateFunc, isBuiltin: boolean, node: Node, name: string, args: Node[] | null, final: Final): unknown {
    const argNodes = args ? args.slice(1) : [];
    const sig = signatureOf(fn);
    const numIn = argNodes.length + (final !== MISSING ? 1 : 0);
    const params: ParamType[] = sig?.params ?? [];
    const variadic: ParamType | undefined = sig ? sig.variadic : 'any';
    if (!sig) {
      // Without a declared signature, a function's length is the number of required arguments.
      if (numIn < fn.length) this.errorf(`wrong number of args for ${name}: want ${fn.length} got ${numIn}`);
    } else if (variadic === undefined) {
      if (numIn !== params.length) this.errorf(`wrong number of args for ${name}: want ${params.length} got ${numIn}`);
    } else if (numIn < params.length) {
      this.errorf(`wrong number of args for ${name}: want at least ${params.length} got ${argNodes.length}`);
    }
    const typeAt = (i: number): ParamType => (i < params.length ? params[i]! : variadic ?? 'any');

    if (isBuiltin && (name === 'and' || name === 'or')) {
      // and/or evaluate lazily and return the deciding operand itself.
      let v: unknown;
      for (const a of argNodes) {
        v = this.evalArg(dot, 'value', a);
        if (isTrue(v) === (name === 'or')) return v;
      }
      return final !== MISSING ? final : v;
    }
    const isCall = isBuiltin && name === 'call';
    const argv: unknown[] = argNodes.map((a, i) => this.evalArg(dot, typeAt(i), a, isCall && i === 0));
    if (final !== MISSING) argv.push(this.validateType(final, typeAt(numIn - 1)));
    if (isCall) argv.unshift(nodeString(argNodes[0]!));
    try {
      return fn(...argv);
    } catch (e) {
      if (e instanceof TemplateExecError) throw e;
      this.node = node;
      return this.errorf(`error calling ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private validateType(value: unknown, type: ParamType): unknown {
    if (type === 'any' || type === 'value') return value;
    if (value === undefined || value === null) return this.errorf(`invalid value; expected ${goTypeOf(type)}`);
    const k = kindOf(value);
    if ((type === 'string' && k === 'string') || (type === 'int' && k === 'int') || (type === 'bool' && k === 'bool')) {
      return type === 'int' ? Number(value) : value;
    }
    return this.errorf(`wrong type for value; expected ${goTypeOf(type)}; got ${typeName(value)}`);
  }

  private evalArg(dot: unknown, type: ParamType, n: Node, raw = false): unknown {
    this.node = n;
    switch (n.type) {
      case 'dot': return this.validateType(dot, type);
      case 'nil':
        if (type === 'any' || type === 'value') return null;
        return this.errorf(`cannot assign nil to ${goTypeOf(type)}`);
      case 'field': return this.validateType(this.evalFieldNode(dot, n, [n], MISSING, raw), type);
      case 'variable': return this.validateType(this.evalVariableNode(dot, n, null, MISSING, raw), type);
      case 'pipe': return this.validateType(this.evalPipeline(dot, n), type);
      case 'identifier': return this.validateType(this.evalFunction(dot, n, n, null, MISSING), type);
      case 'chain': return this.validateType(this.evalChainNode(dot, n, null, MISSING, raw), type);
    }
    switch (type) {
      case 'bool':
        if (n.type === 'bool') return n.value;
        return this.errorf(`expected bool; found ${nodeString(n)}`);
      case 'int':
        if (n.type === 'number' && n.isInt) return n.value;
        return this.errorf(`expected integer; found ${nodeString(n)}`);
      case 'string':
        if (n.type === 'string') return n.text;
        return this.errorf(`expected string; found ${nodeString(n)}`);
    }
    switch (n.type) {
      case 'bool': return n.value;
      case 'number': return this.idealConstant(n);
      case 'string': return n.text;
    }
    return this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
  }
}
